using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// A self-signed certificate for 127.0.0.1 and localhost made by the test (ECDSA P-256, a day
/// long), written as PEM files for nginx. <see cref="CreateHandler"/> gives an HTTP handler that
/// trusts this certificate and nothing else, with the usual name and chain checks: validation is
/// narrowed to the test's root, never switched off.
/// </summary>
public sealed class TestCertificate : IDisposable
{
    private readonly X509Certificate2 _certificate;

    private TestCertificate(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        _certificate = certificate;
        CertificatePath = certificatePath;
        KeyPath = keyPath;
    }

    /// <summary>The certificate, PEM.</summary>
    public string CertificatePath { get; }

    /// <summary>Its private key, PKCS#8 PEM.</summary>
    public string KeyPath { get; }

    /// <summary>SHA-256 thumbprint, for messages.</summary>
    public string Thumbprint => _certificate.GetCertHashString(HashAlgorithmName.SHA256);

    /// <summary>Makes the certificate and writes cert.pem and key.pem into <paramref name="folder"/> (created).</summary>
    public static TestCertificate Create(string folder)
    {
        Directory.CreateDirectory(folder);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Godot-Torrent interop test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        var certificatePath = Path.Combine(folder, "cert.pem");
        var keyPath = Path.Combine(folder, "key.pem");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return new TestCertificate(X509CertificateLoader.LoadCertificate(certificate.RawData), certificatePath, keyPath);
    }

    /// <summary>
    /// A handler whose only trusted root is this certificate: the host name must match and the chain
    /// must build to it; any other certificate (a system-trusted one included) is refused.
    /// </summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Validate },
    };

    public void Dispose() => _certificate.Dispose();

    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(_certificate);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var presented = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(presented);
    }
}
