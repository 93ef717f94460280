namespace WorkerNode.Configuration;

/// <summary>Checks the files settings point at, at load time, so that a bad path fails before any work starts.</summary>
internal static class ConfiguredFiles
{
    // Group or others may do anything at all with the file: the token is then no longer the user's secret.
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The bearer token in <paramref name="path"/>, trimmed; the file must be private to its owner.</summary>
    public static string ReadAuthToken(string path)
    {
        const string Key = "http.auth_token_file";
        UnixFileMode mode;
        try
        {
            RefuseDirectory(Key, path);

            // The worker runs on Unix only; the guard is for the analyzer, and on Windows nothing is refused.
            mode = OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path);
        }
        catch (Exception e) when (IoErrorText.IsFileError(e))
        {
            throw Error(Key, path, "cannot read: " + IoErrorText.Describe(e));
        }

        if ((mode & GroupOrOthers) != 0)
        {
            throw Error(Key, path, $"readable by group or others (mode {Octal(mode)}); chmod 600 it");
        }

        var token = ReadAll(Key, path).Trim();
        return token.Length > 0 ? token : throw Error(Key, path, "is empty");
    }

    /// <summary>Fails unless <paramref name="path"/> is a readable file holding at least one PEM certificate.</summary>
    public static void CheckCaBundle(string path)
    {
        const string Key = "http.ca_bundle";
        if (!ReadAll(Key, path).Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw Error(Key, path, "holds no PEM certificate (no -----BEGIN CERTIFICATE----- line)");
        }
    }

    private static string ReadAll(string key, string path)
    {
        try
        {
            RefuseDirectory(key, path);
            return File.ReadAllText(path);
        }
        catch (Exception e) when (IoErrorText.IsFileError(e))
        {
            throw Error(key, path, "cannot read: " + IoErrorText.Describe(e));
        }
    }

    private static void RefuseDirectory(string key, string path)
    {
        if (Directory.Exists(path))
        {
            throw Error(key, path, "is a directory, not a file");
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0xFFF, 8).PadLeft(4, '0');

    private static ConfigurationException Error(string key, string path, string reason) =>
        new($"{key} {path}: {reason}", ConfigurationErrorKind.Environment);
}
