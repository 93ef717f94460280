using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace WorkerNode.Jobmon.Transport;

/// <summary>
/// Trusts the CA certificates of a PEM bundle (http.ca_bundle) in addition to the system's.
/// Certificate verification is never switched off: a certificate the system trusts passes as
/// usual; one it does not trust passes only when its chain ends at a CA of the bundle; a wrong
/// host name or a missing certificate never passes.
/// </summary>
internal sealed class CaBundleTrust
{
    private const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    private readonly X509Certificate2Collection _authorities;

    private CaBundleTrust(X509Certificate2Collection authorities) => _authorities = authorities;

    public static CaBundleTrust Load(string path)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new JobmonConfigurationException($"cannot read http.ca_bundle {path}: {error.Message}", error);
        }

        return authorities.Count > 0
            ? new CaBundleTrust(authorities)
            : throw new JobmonConfigurationException($"http.ca_bundle {path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }

    /// <summary>A <see cref="RemoteCertificateValidationCallback"/>.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only an untrusted chain may be rescued by the bundle; a name mismatch never is.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is not X509Certificate2 leaf)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_authorities);
        custom.ChainPolicy.ExtraStore.AddRange(_authorities);
        if (chain is not null)
        {
            // The intermediates the server sent with its certificate.
            custom.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
        }

        // As SslStream's own validation: no revocation check, and the certificate must be fit for a server.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.ApplicationPolicy.Add(new Oid(ServerAuthenticationOid));
        return custom.Build(leaf);
    }
}
