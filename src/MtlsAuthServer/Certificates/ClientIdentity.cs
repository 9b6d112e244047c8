using System.Net;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates;

/// <summary>Which RFC 8705 §2.1.2 metadata a <c>tls_client_auth</c> client is identified by.</summary>
public enum ClientIdentityKind
{
    SubjectDn,
    SanDns,
    SanUri,
    SanIp,
    SanEmail,
}

/// <summary>The one certificate identity a <c>tls_client_auth</c> client registered (RFC 8705 §2.1.2).</summary>
public sealed record ClientIdentity(ClientIdentityKind Kind, string Value)
{
    public static readonly IReadOnlyDictionary<string, ClientIdentityKind> MetadataNames =
        new Dictionary<string, ClientIdentityKind>(StringComparer.Ordinal)
        {
            ["tls_client_auth_subject_dn"] = ClientIdentityKind.SubjectDn,
            ["tls_client_auth_san_dns"] = ClientIdentityKind.SanDns,
            ["tls_client_auth_san_uri"] = ClientIdentityKind.SanUri,
            ["tls_client_auth_san_ip"] = ClientIdentityKind.SanIp,
            ["tls_client_auth_san_email"] = ClientIdentityKind.SanEmail,
        };

    public string MetadataName => MetadataNames.First(pair => pair.Value == Kind).Key;

    /// <summary>Checks that the value is well formed for its kind (used when registrations are loaded).</summary>
    public bool IsWellFormed(out string error)
    {
        error = string.Empty;
        switch (Kind)
        {
            case ClientIdentityKind.SubjectDn:
                return DistinguishedName.TryParse(Value, out _, out error);
            case ClientIdentityKind.SanIp when !IPAddress.TryParse(Value, out _):
                error = "not an IP address";
                return false;
            case ClientIdentityKind.SanUri when !Uri.TryCreate(Value, UriKind.Absolute, out _):
                error = "not an absolute URI";
                return false;
            case ClientIdentityKind.SanEmail when Value.IndexOf('@', StringComparison.Ordinal) is <= 0:
                error = "not an email address";
                return false;
            case ClientIdentityKind.SanDns when Value.Length == 0 || Value.Contains(' ', StringComparison.Ordinal):
                error = "not a DNS name";
                return false;
            default:
                return true;
        }
    }
}
