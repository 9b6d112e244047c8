using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.PkiTool;

/// <summary>
/// Prints a client registration for the token server's configuration: an entry of <c>Clients</c> in
/// appsettings.json (RFC 7591 / RFC 8705 §2.1.2 metadata names, which is what the server binds) and the same
/// as environment variables. Identity values are read from the issued certificate, so they match it.
/// </summary>
internal static class RegistrationSnippet
{
    public static readonly IReadOnlyList<string> IdentityKinds = ["subject_dn", "san_dns", "san_uri", "san_ip", "san_email"];

    // Relaxed escaping: the snippet is pasted into a config file, so '+' and quotes in DNs stay readable.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A <c>tls_client_auth</c> registration matching <paramref name="certificate"/> by one identity.</summary>
    public static JsonObject TlsClientAuth(string clientId, string? scope, string? requestedKind, CertificateIdentity identity, X509Certificate2 certificate)
    {
        var (kind, value) = ChooseIdentity(requestedKind, identity, certificate);
        var registration = new JsonObject
        {
            ["client_id"] = clientId,
            ["token_endpoint_auth_method"] = "tls_client_auth",
            ["tls_client_auth_" + kind] = value,
        };
        if (scope is not null)
        {
            registration["scope"] = scope;
        }

        return registration;
    }

    /// <summary>A <c>self_signed_tls_client_auth</c> registration accepting each of <paramref name="certificates"/> (RFC 7591 jwks with x5c).</summary>
    public static JsonObject SelfSigned(string clientId, string? scope, IEnumerable<X509Certificate2> certificates)
    {
        var keys = new JsonArray();
        foreach (var certificate in certificates)
        {
            keys.Add(new JsonObject { ["x5c"] = new JsonArray(Convert.ToBase64String(certificate.RawData)) });
        }

        var registration = new JsonObject
        {
            ["client_id"] = clientId,
            ["token_endpoint_auth_method"] = "self_signed_tls_client_auth",
        };
        if (scope is not null)
        {
            registration["scope"] = scope;
        }

        registration["jwks"] = new JsonObject { ["keys"] = keys };
        return registration;
    }

    public static void Write(TextWriter output, JsonObject registration)
    {
        output.WriteLine();
        output.WriteLine("Client registration for appsettings.json (one entry of the \"Clients\" array):");
        output.WriteLine(registration.ToJsonString(Indented));
        output.WriteLine();
        output.WriteLine("The same as environment variables (0 = the client's position in the Clients array):");
        foreach (var (key, value) in Flatten("Clients__0", registration))
        {
            output.WriteLine($"{key}={value}");
        }
    }

    private static IEnumerable<(string Key, string Value)> Flatten(string prefix, JsonNode? node) => node switch
    {
        JsonObject entries => entries.SelectMany(entry => Flatten(prefix + "__" + entry.Key, entry.Value)),
        JsonArray items => items.SelectMany((item, index) => Flatten(prefix + "__" + index, item)),
        _ => [(prefix, node?.GetValue<string>() ?? string.Empty)],
    };

    private static (string Kind, string Value) ChooseIdentity(string? requested, CertificateIdentity identity, X509Certificate2 certificate)
    {
        var kind = requested ?? (identity.Subject is not null || !identity.HasSans ? "subject_dn"
            : identity.Uris.Count > 0 ? "san_uri"
            : identity.DnsNames.Count > 0 ? "san_dns"
            : identity.IpAddresses.Count > 0 ? "san_ip"
            : "san_email");
        var value = kind switch
        {
            // RFC 4514 form of the name actually in the certificate: what the server compares against.
            "subject_dn" => DistinguishedName.Format(certificate.SubjectName),
            "san_dns" => First(identity.DnsNames),
            "san_uri" => First(identity.Uris),
            "san_ip" => identity.IpAddresses.Count > 0 ? identity.IpAddresses[0].ToString() : null,
            _ => First(identity.Emails),
        };
        return value is null
            ? throw new PkiToolException($"--identity {kind}: the certificate has no such entry; add --{kind.Replace('_', '-')} or choose another --identity.")
            : (kind, value);
    }

    private static string? First(IReadOnlyList<string> values) => values.Count > 0 ? values[0] : null;
}
