using WorkerNode.Configuration;
using static WorkerNode.Tests.Configuration.ConfigTest;

namespace WorkerNode.Tests.Configuration;

public sealed class ConfiguredFilesTests : IDisposable
{
    private const string Token = "s3cr3t-t0k3n";
    private const string Pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void A_private_token_file_is_read_and_trimmed()
    {
        var path = dir.Write("token", $"  {Token}\n", Private);
        var settings = Load(flags: ("http.auth_token_file", path, "--auth-token-file"));

        Assert.Equal(Token, settings.Http.AuthToken);
        Assert.Equal(path, settings.Http.AuthTokenFile);
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.OtherRead, "0404")]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.GroupWrite, "0420")]
    public void A_token_file_others_can_use_is_refused(UnixFileMode mode, string octal)
    {
        var path = dir.Write("token", Token, mode);
        var e = Fails(null, Env(("JOBMON__HTTP__AUTH_TOKEN_FILE", path)));

        Assert.Equal($"http.auth_token_file {path}: readable by group or others (mode {octal}); chmod 600 it", e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);
        Assert.DoesNotContain(Token, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_token_file_says_so()
    {
        var path = Path.Combine(dir.Path, "no-token");
        var e = Fails(flags: ("http.auth_token_file", path, "--auth-token-file"));

        Assert.Equal($"http.auth_token_file {path}: cannot read: No such file or directory", e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);
    }

    [Fact]
    public void An_empty_token_file_is_refused()
    {
        var path = dir.Write("token", " \n", Private);
        var e = Fails(flags: ("http.auth_token_file", path, "--auth-token-file"));
        Assert.Equal($"http.auth_token_file {path}: is empty", e.Message);
    }

    [Fact]
    public void A_directory_is_not_a_token_file()
    {
        var e = Fails(flags: ("http.auth_token_file", dir.Path, "--auth-token-file"));
        Assert.Equal($"http.auth_token_file {dir.Path}: is a directory, not a file", e.Message);
    }

    [Fact]
    public void A_token_file_from_a_higher_layer_wins_over_a_token()
    {
        var path = dir.Write("token", Token, Private);
        var settings = Load(null, Env(("JOBMON__HTTP__AUTH_TOKEN", "from-env")), ("http.auth_token_file", path, "--auth-token-file"));
        Assert.Equal(Token, settings.Http.AuthToken);
    }

    [Fact]
    public void A_token_from_a_higher_layer_wins_and_the_token_file_is_not_opened()
    {
        var world = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        var path = dir.Write("token", Token, world);
        var settings = Load(null, Env(("JOBMON__HTTP__AUTH_TOKEN_FILE", path)), ("http.auth_token", "from-flag", "--auth-token"));
        Assert.Equal("from-flag", settings.Http.AuthToken);
    }

    [Fact]
    public void A_token_and_a_token_file_in_one_layer_are_ambiguous()
    {
        var path = dir.Write("token", Token, Private);
        var file = dir.Write("jobmon.yaml", $"http:\n  auth_token: {Token}\n  auth_token_file: {path}\n");
        var e = Fails(file);

        Assert.Equal($"http.auth_token and http.auth_token_file are both set (from {file}); give only one", e.Message);
        Assert.DoesNotContain(Token, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_never_appears_in_messages_or_in_ToString()
    {
        var settings = Load(null, Env(("JOBMON__HTTP__AUTH_TOKEN", Token)));
        Assert.DoesNotContain(Token, settings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Token, settings.Http.ToString(), StringComparison.Ordinal);
        Assert.Contains("AuthToken = ***", settings.Http.ToString(), StringComparison.Ordinal);
        Assert.Contains("RoutePrefix = /api/v3", settings.Http.ToString(), StringComparison.Ordinal);

        var file = dir.Write("jobmon.yaml", $"http:\n  auth_token: {Token}\n  request_timeout: never\n");
        var e = Fails(file);
        Assert.DoesNotContain(Token, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_readable_pem_bundle_is_accepted()
    {
        var path = dir.Write("ca.pem", Pem);
        Assert.Equal(path, Load(null, Env(("JOBMON__HTTP__CA_BUNDLE", path))).Http.CaBundle);
    }

    [Fact]
    public void A_missing_ca_bundle_says_so()
    {
        var path = Path.Combine(dir.Path, "ca.pem");
        var e = Fails(flags: ("http.ca_bundle", path, "--ca-bundle"));

        Assert.Equal($"http.ca_bundle {path}: cannot read: No such file or directory", e.Message);
        Assert.Equal(ConfigurationErrorKind.Environment, e.Kind);
    }

    [Fact]
    public void A_ca_bundle_without_certificates_is_refused()
    {
        var path = dir.Write("ca.pem", "not a certificate\n");
        var e = Fails(flags: ("http.ca_bundle", path, "--ca-bundle"));
        Assert.Equal($"http.ca_bundle {path}: holds no PEM certificate (no -----BEGIN CERTIFICATE----- line)", e.Message);
    }

    [Fact]
    public void A_directory_is_not_a_ca_bundle()
    {
        var e = Fails(flags: ("http.ca_bundle", dir.Path, "--ca-bundle"));
        Assert.Equal($"http.ca_bundle {dir.Path}: is a directory, not a file", e.Message);
    }
}
