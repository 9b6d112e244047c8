using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Certificates;

namespace MtlsAuthServer.Clients;

public static class ClientRegistrationExtensions
{
    /// <summary>All identity metadata the registration sets (exactly one is valid for <c>tls_client_auth</c>).</summary>
    public static IReadOnlyList<ClientIdentity> Identities(this ClientRegistration registration)
    {
        var identities = new List<ClientIdentity>();
        Add(ClientIdentityKind.SubjectDn, registration.SubjectDn);
        Add(ClientIdentityKind.SanDns, registration.SanDns);
        Add(ClientIdentityKind.SanUri, registration.SanUri);
        Add(ClientIdentityKind.SanIp, registration.SanIp);
        Add(ClientIdentityKind.SanEmail, registration.SanEmail);
        return identities;

        void Add(ClientIdentityKind kind, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                identities.Add(new ClientIdentity(kind, value.Trim()));
            }
        }
    }

    public static ClientIdentity? Identity(this ClientRegistration registration) =>
        registration.Identities() is [var single] ? single : null;

    /// <summary>Reads the registered self-signed certificates from the PEM files and the <c>jwks</c> x5c entries.</summary>
    public static List<X509Certificate2> LoadSelfSignedCertificates(this ClientRegistration registration)
    {
        var certificates = new List<X509Certificate2>();
        foreach (var path in registration.CertificatePaths)
        {
            var bundle = new X509Certificate2Collection();
            bundle.ImportFromPemFile(path);
            certificates.AddRange(bundle);
        }

        foreach (var key in registration.Jwks?.Keys ?? [])
        {
            if (key.X5c.Count > 0)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(key.X5c[0])));
            }
        }

        return certificates;
    }

    public static bool TryLoadSelfSignedCertificates(this ClientRegistration registration, out List<X509Certificate2> certificates, out string error)
    {
        try
        {
            certificates = registration.LoadSelfSignedCertificates();
            error = string.Empty;
            return true;
        }
        catch (Exception exception) when (exception is IOException or CryptographicException or FormatException or UnauthorizedAccessException)
        {
            certificates = [];
            error = exception.Message;
            return false;
        }
    }
}
