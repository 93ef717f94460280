/*
 * exec-shim: the few instructions worker-node needs around its command, in C.
 *
 * worker-node is a .NET program, and .NET cannot safely run managed code in a forked child, so
 * it starts commands with posix_spawn (which also puts them in a new session). posix_spawn
 * cannot set a parent-death signal, which is what makes a SIGKILLed worker take its command
 * with it. So the worker spawns this shim, embedded in its own binary and run from a memfd.
 *
 *   exec-shim PARENT_PID SIGNAL PATH ARGV0 [ARGS...]
 *
 * A parent-death signal reaches one process only, and a command run through /bin/sh -c is a
 * tree: the shell's children would outlive a SIGKILLed worker and run on, while the server may
 * already be running the task again. So the shim does not become the command: it forks it and
 * stays as its parent, in the same process group, and when the worker (PARENT_PID) dies it
 * sends SIGNAL to every process of its session (the shim leads it: the worker spawned it with
 * setsid), then to its own process group, itself included. The session, not only the group: a
 * command may move a child to a process group of its own without leaving the session (a shell's
 * job control, `set -m`, Python's process_group=0), and that child must not outlive the worker
 * either. Only a process that starts a session of its own (setsid) leaves; the worker, its
 * subreaper, ends those while it lives. Otherwise it ignores the signals the
 * worker sends the group (they are for the command), waits for the command, and exits as the
 * command did: the same code, or killed by the same signal (without a core dump of its own).
 *
 * Signals that reach the group before the command exists are held and passed on to it (never lost).
 * The command gets back the signal dispositions the shim started with, and a parent-death
 * SIGKILL of its own, should the shim itself ever be killed. A file execve cannot run (ENOEXEC: a
 * script without a #! line) is run by /bin/sh, as execvp and shells do. On exec failure the command prints
 * "worker-node: PATH: reason" on stderr and exits as a shell would: 127 when PATH does not
 * exist, 126 otherwise; the shim passes that on.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* The shim's own parent-death signal: one the worker never sends its command's process group. */
#define WORKER_DIED SIGRTMAX

static pid_t worker_pid;
static int group_signal;
static struct sigaction original[NSIG];

static long parse_positive(const char *text)
{
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value <= 0)
        return -1;
    return value;
}

/* Parses a decimal number at *text, moving past it; -1 when there is none. */
static long take_number(const char **text, const char *end)
{
    long value = -1;
    while (*text < end && **text >= '0' && **text <= '9') {
        value = (value < 0 ? 0 : value * 10) + (**text - '0');
        (*text)++;
    }
    return value;
}

/* The session of a live process from /proc/PID/stat ("pid (comm) state ppid pgrp session ..."); -1 for a zombie or on error. */
static long session_of(const char *pid_text)
{
    char path[64];
    char stat[512];
    size_t length = strlen(pid_text);
    if (length > 32)
        return -1;
    memcpy(path, "/proc/", 6);
    memcpy(path + 6, pid_text, length);
    memcpy(path + 6 + length, "/stat", 6);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t count = read(fd, stat, sizeof stat);
    close(fd);
    if (count <= 0)
        return -1;

    /* comm may hold anything, ')' included: the fields start after the last ')'. */
    const char *end = stat + count;
    const char *close_paren = NULL;
    for (const char *p = stat; p < end; p++)
        if (*p == ')')
            close_paren = p;
    if (close_paren == NULL || close_paren + 4 > end)
        return -1;
    const char *p = close_paren + 2;
    char state = *p;
    if (state == 'Z' || state == 'X')
        return -1;
    p += 2;
    for (int field = 4; field < 6; field++) {  /* skip ppid and pgrp */
        if (take_number(&p, end) < 0 || p >= end || *p != ' ')
            return -1;
        p++;
    }
    return take_number(&p, end);
}

/*
 * SIGKILL to every live process of the shim's session but the shim itself, until none is left (a
 * process may fork while this runs; bounded). Called from a signal handler, so only
 * async-signal-safe calls: open, read, close, kill, and getdents64 through syscall.
 */
static void kill_session(void)
{
    static char entries[8192];
    pid_t self = getpid();
    for (int round = 0; round < 100; round++) {
        int found = 0;
        int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (proc < 0)
            return;
        long count;
        while ((count = syscall(SYS_getdents64, proc, entries, sizeof entries)) > 0) {
            for (long offset = 0; offset < count;) {
                /* struct linux_dirent64: ino (8), off (8), reclen (2), type (1), name. */
                unsigned short record = *(unsigned short *)(entries + offset + 16);
                const char *name = entries + offset + 19;
                offset += record;
                if (name[0] < '1' || name[0] > '9')
                    continue;
                const char *cursor = name;
                long pid = take_number(&cursor, name + 32);
                if (pid <= 0 || *cursor != '\0' || pid == self)
                    continue;
                if (session_of(name) == self) {
                    kill((pid_t)pid, SIGKILL);
                    found++;
                }
            }
        }
        close(proc);
        if (found == 0)
            return;
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
}

/* The worker is gone: end everything in the session, then the group, the shim included. */
static void end_everything(void)
{
    if (group_signal == SIGKILL)
        kill_session();
    kill(0, group_signal);
    _exit(128 + group_signal);
}

static void on_worker_death(int signal_number)
{
    (void)signal_number;
    /* The kernel also signals when the worker's spawning thread exits; only a new parent means the worker is gone. */
    if (getppid() != worker_pid)
        end_everything();
}

/* Saves every disposition, for the command. */
static void save_signals(void)
{
    for (int signal_number = 1; signal_number < NSIG; signal_number++)
        sigaction(signal_number, NULL, &original[signal_number]);
}

/* Ignores every signal but the two the shim needs (which also discards any of them pending). */
static void ignore_signals(void)
{
    struct sigaction ignore;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    for (int signal_number = 1; signal_number < NSIG; signal_number++) {
        if (signal_number == SIGKILL || signal_number == SIGSTOP || signal_number == SIGCHLD || signal_number == WORKER_DIED)
            continue;
        sigaction(signal_number, &ignore, NULL);
    }
}

static void restore_signals(void)
{
    for (int signal_number = 1; signal_number < NSIG; signal_number++) {
        if (signal_number == SIGKILL || signal_number == SIGSTOP)
            continue;
        struct sigaction restored = original[signal_number];
        /* A handler means nothing across exec (it would be reset anyway): give the default. */
        if (restored.sa_handler != SIG_IGN)
            restored.sa_handler = SIG_DFL;
        restored.sa_flags &= ~SA_SIGINFO;
        sigaction(signal_number, &restored, NULL);
    }
}

static void run_command(pid_t shim, const char *path, char **argv)
{
    restore_signals();
    if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0 || getppid() != shim)
        _exit(126);

    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(path, argv, environ);

    int error = errno;
    if (error == ENOEXEC) {
        /* A script without a #! line: run it with /bin/sh, as execvp and shells do. */
        int count = 0;
        while (argv[count] != NULL)
            count++;
        char *shell_argv[count + 2];
        shell_argv[0] = "/bin/sh";
        shell_argv[1] = (char *)path;
        for (int i = 1; i <= count; i++)
            shell_argv[i + 1] = argv[i];
        execve("/bin/sh", shell_argv, environ);
        error = errno;
    }

    fprintf(stderr, "worker-node: %s: %s\n", path, strerror(error));
    _exit(error == ENOENT ? 127 : 126);
}

/* Exits as the command did: with its code, or by its signal. */
static int exit_like(int status)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);

    int signal_number = WTERMSIG(status);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);
    signal(signal_number, SIG_DFL);
    sigset_t just_that;
    sigemptyset(&just_that);
    sigaddset(&just_that, signal_number);
    sigprocmask(SIG_UNBLOCK, &just_that, NULL);
    raise(signal_number);
    return 128 + signal_number;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "worker-node exec-shim: usage: exec-shim PARENT_PID SIGNAL PATH ARGV0 [ARGS...]\n");
        return 126;
    }

    long parent = parse_positive(argv[1]);
    long signal_number = parse_positive(argv[2]);
    if (parent < 0 || signal_number < 0 || signal_number >= SIGRTMIN) {
        fprintf(stderr, "worker-node exec-shim: bad parent pid '%s' or signal '%s'\n", argv[1], argv[2]);
        return 126;
    }

    worker_pid = (pid_t)parent;
    group_signal = (int)signal_number;
    save_signals();

    /*
     * Every signal is held until the command exists. The worker may signal the group before the fork (a
     * stop at the very start: a time limit already past, a SIGTERM from the scheduler): ignored, such a
     * signal would reach no one, and the command would run on until the SIGKILL after the grace. Held, it
     * stays pending on the shim, which passes it on once the command is there. The command starts with
     * every signal held as well, so that one sent to the group between the fork and its exec waits for it.
     */
    sigset_t held;
    sigset_t before;
    sigfillset(&held);
    sigdelset(&held, WORKER_DIED);
    sigprocmask(SIG_BLOCK, &held, &before);

    struct sigaction death;
    memset(&death, 0, sizeof death);
    death.sa_handler = on_worker_death;
    sigemptyset(&death.sa_mask);
    if (sigaction(WORKER_DIED, &death, NULL) != 0 || prctl(PR_SET_PDEATHSIG, WORKER_DIED, 0, 0, 0) != 0) {
        fprintf(stderr, "worker-node exec-shim: cannot arm the parent-death signal: %s\n", strerror(errno));
        return 126;
    }

    /* The worker may have died between spawning us and the prctl above. */
    if (getppid() != worker_pid)
        end_everything();

    pid_t shim = getpid();
    pid_t command = fork();
    if (command < 0) {
        fprintf(stderr, "worker-node exec-shim: fork: %s\n", strerror(errno));
        return 126;
    }

    if (command == 0)
        run_command(shim, argv[3], &argv[4]);

    /*
     * What reached the group before the fork is pending here only: pass it on. (One sent between the fork
     * and this look reached the command too, where it is still held: the second merges with the first.)
     */
    sigset_t pending;
    sigemptyset(&pending);
    sigpending(&pending);
    for (int pending_signal = 1; pending_signal < NSIG; pending_signal++) {
        if (pending_signal != SIGCHLD && pending_signal != WORKER_DIED && sigismember(&pending, pending_signal) == 1)
            kill(command, pending_signal);
    }

    ignore_signals();
    sigprocmask(SIG_SETMASK, &before, NULL);

    /* Hold none of the command's streams: its output ends when the command and its children close them. */
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (null > 2)
            close(null);
    }

    int status;
    while (waitpid(command, &status, 0) < 0) {
        if (errno != EINTR)
            return 126;
    }

    return exit_like(status);
}
