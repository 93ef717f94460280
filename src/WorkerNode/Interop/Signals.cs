namespace WorkerNode.Interop;

/// <summary>Linux signal numbers the worker sends, forwards or reports, and their names.</summary>
internal static class Signals
{
    internal const int Hup = 1;
    internal const int Int = 2;
    internal const int Quit = 3;
    internal const int Kill = 9;
    internal const int Usr1 = 10;
    internal const int Usr2 = 12;
    internal const int Pipe = 13;
    internal const int Term = 15;
    internal const int Chld = 17;
    internal const int Cont = 18;
    internal const int Stop = 19;
    internal const int Winch = 28;

    private static readonly string[] Names =
    [
        "0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
        "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD", "SIGCONT",
        "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS",
    ];

    /// <summary>"SIGTERM" for 15; "SIGRTMIN+3" style for real-time signals.</summary>
    internal static string Name(int signal) => signal switch
    {
        > 0 and < 32 => Names[signal],
        >= 34 and <= 64 => $"SIGRTMIN+{signal - 34}",
        _ => $"signal {signal}",
    };
}
