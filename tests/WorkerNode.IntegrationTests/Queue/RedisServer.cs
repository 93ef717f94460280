using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace WorkerNode.IntegrationTests.Queue;

/// <summary>
/// A real redis-server (Debian's package; scripts/ensure-tools installs it) on a free loopback port, with its
/// data in a fresh directory and an append-only file, so that a restart keeps the queue. Talked to with
/// redis-cli. Disposal stops it and removes its directory: nothing is left behind.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly string? _password;
    private readonly bool _tls;
    private Process? _process;

    private RedisServer(string directory, int port, string? password, bool tls)
    {
        Directory = directory;
        Port = port;
        _password = password;
        _tls = tls;
    }

    /// <summary>With TLS: the CA that signed the server's certificate (for 127.0.0.1), made by openssl for this server only.</summary>
    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string Directory { get; }

    public int Port { get; }

    public string Url => $"{(_tls ? "rediss" : "redis")}://127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync(string? password = null, bool tls = false)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("wn-redis-").FullName;
        var server = new RedisServer(directory, FreePort(), password, tls);
        if (tls)
        {
            await server.MakeCertificatesAsync();
        }

        await server.LaunchAsync();
        return server;
    }

    /// <summary>Stops the server as an operator's restart would (SHUTDOWN, data kept) and starts it again on the same port.</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        await CliAsync("SHUTDOWN");
        await _process!.WaitForExitAsync().WaitAsync(StartTimeout);
        _process.Dispose();
        await Task.Delay(down);
        await LaunchAsync();
    }

    /// <summary>Runs one redis-cli command; gives its output without the final newline.</summary>
    public async Task<string> CliAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-auth-warning", .. _password is null ? [] : (string[])["-a", _password], .. _tls ? (string[])["--tls", "--cacert", CaFile] : [], "--raw", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return (await output).TrimEnd('\n') + (await error).TrimEnd('\n');
    }

    /// <summary>LPUSHes each item in turn (the first given is the first taken).</summary>
    public Task PushAsync(string queue, params string[] items) => CliAsync(["LPUSH", queue, .. items]);

    /// <summary>The elements of a list, oldest first (items and records are pushed on the left).</summary>
    public async Task<List<string>> ListAsync(string key)
    {
        var output = await CliAsync("LRANGE", key, "0", "-1");
        var elements = output.Length == 0 ? [] : output.Split('\n').ToList();
        elements.Reverse();
        return elements;
    }

    /// <summary>The result records of a list, parsed.</summary>
    public async Task<List<JsonElement>> RecordsAsync(string key) =>
        (await ListAsync(key)).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(StartTimeout);
        }

        _process?.Dispose();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    private async Task LaunchAsync()
    {
        string[] arguments =
        [
            .. _tls
                ? (string[])["--port", "0", "--tls-port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--tls-cert-file", Path.Combine(Directory, "server.crt"), "--tls-key-file", Path.Combine(Directory, "server.key"), "--tls-ca-cert-file", CaFile, "--tls-auth-clients", "no"]
                : ["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            "--bind", "127.0.0.1",
            "--dir", Directory, "--save", string.Empty, "--appendonly", "yes", "--appendfsync", "always",
            "--daemonize", "no", "--logfile", Path.Combine(Directory, "redis.log"),
            .. _password is null ? [] : (string[])["--requirepass", _password],
        ];
        var start = new ProcessStartInfo("redis-server") { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            _process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("redis-server is not installed: run scripts/ensure-tools test (Debian package redis-server)", exception);
        }

        // Ready when the server answering on the port is this one (a port taken meanwhile by another would answer too).
        var deadline = Stopwatch.StartNew();
        while (!(await CliAsync("INFO", "server")).Contains($"process_id:{_process.Id}\r", StringComparison.Ordinal))
        {
            if (_process.HasExited || deadline.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"redis-server did not start on port {Port}: {File.ReadAllText(Path.Combine(Directory, "redis.log"))}");
            }

            await Task.Delay(20);
        }
    }

    private async Task MakeCertificatesAsync()
    {
        await OpenSslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=worker-node test CA");
        await OpenSslAsync("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        File.WriteAllText(Path.Combine(Directory, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
        await OpenSslAsync("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.ext");
    }

    private async Task OpenSslAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = Directory, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"openssl {string.Join(' ', arguments)} failed: {await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
