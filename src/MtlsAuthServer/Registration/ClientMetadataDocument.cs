using System.Text.Json;
using MtlsAuthServer.Clients;

namespace MtlsAuthServer.Registration;

/// <summary>
/// RFC 7591 §2 client metadata as JSON, read into the <see cref="ClientRegistration"/> a configured client is bound to,
/// so both pass the same rules (<see cref="ClientRegistrationRules"/>), and written back as the registration response.
/// The reader is strict where a loose reading could register something else than the client meant: one JSON object,
/// no member twice, every known member of its RFC type and within its bound. Members it does not know are ignored,
/// as RFC 7591 §2 requires.
/// </summary>
public static class ClientMetadataDocument
{
    /// <summary>Largest registration request body: a self-signed client with <see cref="MaxKeys"/> certificates fits.</summary>
    public const int MaxBytes = 32 * 1024;

    public const int MaxTextLength = 1024;
    public const int MaxScopeLength = 2048;
    public const int MaxContacts = 10;
    public const int MaxCertificateCharacters = 8 * 1024; // base64 of one DER certificate in x5c
    public const int MaxChainLength = 4;

    /// <summary>At most this many jwks keys (certificates) per registration: one in use and the next during a rotation, with room to spare.</summary>
    public const int MaxKeys = 5;

    private const string ClientCredentials = "client_credentials";

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 8 };

    /// <summary>Reads a registration request; on failure <paramref name="error"/> says what is wrong, for the client.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> json, out ClientRegistration registration, out string error)
    {
        registration = new ClientRegistration { TokenEndpointAuthMethod = string.Empty };
        error = string.Empty;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Strict);
        }
        catch (JsonException exception)
        {
            error = exception.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase)
                ? "The client metadata names a member twice."
                : "The client metadata is not valid JSON.";
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "The client metadata must be a JSON object.";
                return false;
            }

            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (!TryReadMember(member, registration, out error))
                {
                    return false;
                }
            }
        }

        if (registration.TokenEndpointAuthMethod.Length == 0)
        {
            error = "token_endpoint_auth_method is required: tls_client_auth or self_signed_tls_client_auth (RFC 8705 §2).";
            return false;
        }

        return true;
    }

    private static bool TryReadMember(JsonProperty member, ClientRegistration registration, out string error)
    {
        error = string.Empty;
        var value = member.Value;
        switch (member.Name)
        {
            case "client_id":
                return TryText(value, member.Name, Hosting.OAuthParameterLimits.ClientId, out var clientId, out error) && Set(() => registration.ClientId = clientId);
            case "client_name":
                return TryText(value, member.Name, MaxTextLength, out var name, out error) && Set(() => registration.ClientName = name);
            case "token_endpoint_auth_method":
                return TryText(value, member.Name, MaxTextLength, out var method, out error) && Set(() => registration.TokenEndpointAuthMethod = method);
            case "scope":
                return TryText(value, member.Name, MaxScopeLength, out var scope, out error) && Set(() => registration.Scope = scope);
            case "tls_client_auth_subject_dn":
                return TryText(value, member.Name, MaxTextLength, out var dn, out error) && Set(() => registration.SubjectDn = dn);
            case "tls_client_auth_san_dns":
                return TryText(value, member.Name, MaxTextLength, out var dns, out error) && Set(() => registration.SanDns = dns);
            case "tls_client_auth_san_uri":
                return TryText(value, member.Name, MaxTextLength, out var uri, out error) && Set(() => registration.SanUri = uri);
            case "tls_client_auth_san_ip":
                return TryText(value, member.Name, MaxTextLength, out var ip, out error) && Set(() => registration.SanIp = ip);
            case "tls_client_auth_san_email":
                return TryText(value, member.Name, MaxTextLength, out var email, out error) && Set(() => registration.SanEmail = email);
            case "contacts":
                return TryTexts(value, member.Name, MaxContacts, MaxTextLength, out var contacts, out error) && Set(() => registration.Contacts = contacts);
            case "jwks":
                return TryJwks(value, out var jwks, out error) && Set(() => registration.Jwks = jwks);
            case "grant_types":
                // The only grant this server serves: anything else would be registered but never work.
                return TryTexts(value, member.Name, 4, MaxTextLength, out var grants, out error)
                    && Check(grants.All(grant => grant == ClientCredentials), "grant_types may only hold client_credentials.", out error);
            case "response_types":
                return TryTexts(value, member.Name, 4, MaxTextLength, out var responses, out error)
                    && Check(responses.Count == 0, "response_types must be empty: this server has no authorization endpoint.", out error);
            case "tls_client_certificate_bound_access_tokens":
                // RFC 8705 §3.4: every token of this server is bound; a client asking for unbound ones can't be served.
                return Check(value.ValueKind is JsonValueKind.True, "tls_client_certificate_bound_access_tokens must be true: every access token is certificate-bound.", out error);
            case "jwks_uri":
                error = "jwks_uri is not supported: register the certificates by value in jwks (x5c).";
                return false;
            case "redirect_uris":
                return TryTexts(value, member.Name, 4, MaxTextLength, out var redirects, out error)
                    && Check(redirects.Count == 0, "redirect_uris must be empty: this server has no authorization endpoint.", out error);
            default:
                return true; // RFC 7591 §2: metadata the server does not understand is ignored.
        }
    }

    private static bool Set(Action assign)
    {
        assign();
        return true;
    }

    private static bool Check(bool condition, string problem, out string error)
    {
        error = condition ? string.Empty : problem;
        return condition;
    }

    private static bool TryText(JsonElement value, string name, int maxLength, out string text, out string error)
    {
        text = string.Empty;
        if (value.ValueKind != JsonValueKind.String)
        {
            error = $"{name} must be a string.";
            return false;
        }

        text = value.GetString()!;
        return Check(text.Length <= maxLength, $"{name} is longer than {maxLength} characters.", out error);
    }

    private static bool TryTexts(JsonElement value, string name, int maxCount, int maxLength, out List<string> texts, out string error)
    {
        texts = [];
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxCount)
        {
            error = $"{name} must be an array of at most {maxCount} strings.";
            return false;
        }

        foreach (var item in value.EnumerateArray())
        {
            if (!TryText(item, name, maxLength, out var text, out error))
            {
                error = $"{name} must be an array of strings of at most {maxLength} characters.";
                return false;
            }

            texts.Add(text);
        }

        error = string.Empty;
        return true;
    }

    private static bool TryJwks(JsonElement value, out JwksRegistration jwks, out string error)
    {
        jwks = new JwksRegistration();
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("keys", out var keys)
            || keys.ValueKind != JsonValueKind.Array || keys.GetArrayLength() > MaxKeys)
        {
            error = $"jwks must be an object whose keys member is an array of at most {MaxKeys} keys.";
            return false;
        }

        foreach (var key in keys.EnumerateArray())
        {
            var jwk = new JwkRegistration();
            if (key.ValueKind != JsonValueKind.Object)
            {
                error = "Each jwks key must be a JSON object.";
                return false;
            }

            if (key.TryGetProperty("x5c", out var x5c))
            {
                if (!TryTexts(x5c, "x5c", MaxChainLength, MaxCertificateCharacters, out var chain, out error))
                {
                    return false;
                }

                jwk.X5c = chain;
            }

            jwks.Keys.Add(jwk);
        }

        error = string.Empty;
        return true;
    }

    /// <summary>
    /// The registered metadata as RFC 7591 §3.2.1 answers it (without the registration access token and URI, which
    /// only the endpoint knows): what the server will enforce, including the values it chose.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, string clientId, DateTimeOffset issuedAt, ClientRegistration registration)
    {
        writer.WriteString("client_id", clientId);
        writer.WriteNumber("client_id_issued_at", issuedAt.ToUnixTimeSeconds());
        if (registration.ClientName is { } name)
        {
            writer.WriteString("client_name", name);
        }

        writer.WriteString("token_endpoint_auth_method", registration.TokenEndpointAuthMethod);
        writer.WriteStartArray("grant_types");
        writer.WriteStringValue(ClientCredentials);
        writer.WriteEndArray();
        if (registration.Scopes.Count > 0)
        {
            writer.WriteString("scope", string.Join(' ', registration.Scopes));
        }

        foreach (var identity in registration.Identities())
        {
            writer.WriteString(identity.MetadataName, identity.Value);
        }

        if (registration.Jwks is { Keys.Count: > 0 } jwks)
        {
            writer.WriteStartObject("jwks");
            writer.WriteStartArray("keys");
            foreach (var key in jwks.Keys)
            {
                writer.WriteStartObject();
                writer.WriteStartArray("x5c");
                key.X5c.ForEach(writer.WriteStringValue);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        if (registration.Contacts.Count > 0)
        {
            writer.WriteStartArray("contacts");
            registration.Contacts.ForEach(writer.WriteStringValue);
            writer.WriteEndArray();
        }

        writer.WriteBoolean("tls_client_certificate_bound_access_tokens", true);
    }

    /// <summary>The stored form of a registration (<see cref="Data.DynamicClientRegistration.Metadata"/>).</summary>
    public static string Serialize(string clientId, DateTimeOffset issuedAt, ClientRegistration registration)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            Write(writer, clientId, issuedAt, registration);
            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Reads a stored registration back (written by <see cref="Serialize"/>, so it always reads).</summary>
    public static ClientRegistration Deserialize(string clientId, string stored) =>
        TryRead(System.Text.Encoding.UTF8.GetBytes(stored), out var registration, out var error)
            ? Identified(registration, clientId)
            : throw new InvalidDataException($"The stored registration of '{clientId}' does not read: {error}");

    private static ClientRegistration Identified(ClientRegistration registration, string clientId)
    {
        registration.ClientId = clientId;
        return registration;
    }
}
