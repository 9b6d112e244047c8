using System.Text;
using CsCheck;
using MtlsAuthServer.Clients;
using MtlsAuthServer.Registration;

namespace MtlsAuthServer.Specs.Registration;

/// <summary>
/// The RFC 7591 metadata reader and the registration rules, without a server: what is read, what is refused and why,
/// and a seeded, bounded property run showing that no input makes the reader throw and that what it reads survives a
/// round trip through the stored form.
/// </summary>
public sealed class ClientMetadataDocumentSpecs
{
    private static readonly HashSet<string> Scopes = ["api:read"];

    public static TheoryData<string, string> Refused => new()
    {
        { "", "not valid JSON" },
        { "{\"a\":1,}", "not valid JSON" },
        { "\"text\"", "must be a JSON object" },
        { """{"scope":"a","scope":"b","token_endpoint_auth_method":"tls_client_auth"}""", "names a member twice" },
        { """{"token_endpoint_auth_method":null}""", "token_endpoint_auth_method must be a string" },
        { """{"token_endpoint_auth_method":"tls_client_auth","contacts":[1]}""", "contacts must be an array of strings" },
        { """{"token_endpoint_auth_method":"tls_client_auth","contacts":["a","b","c","d","e","f","g","h","i","j","k"]}""", "at most 10" },
        { """{"client_name":"x"}""", "token_endpoint_auth_method is required" },
        { """{"token_endpoint_auth_method":"tls_client_auth","jwks":{"keys":[1]}}""", "must be a JSON object" },
        { """{"token_endpoint_auth_method":"tls_client_auth","jwks":{"keys":[{},{},{},{},{},{}]}}""", "at most 5 keys" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_certificate_bound_access_tokens":"true"}""", "must be true" },
        { """{"token_endpoint_auth_method":"tls_client_auth","response_types":["code"]}""", "response_types must be empty" },
        { """{"token_endpoint_auth_method":"tls_client_auth","software_id":1,"jwks_uri":"https://x"}""", "jwks_uri is not supported" },
        { "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Malformed_or_mistyped_metadata_is_refused_with_a_reason(string json, string expected)
    {
        Assert.False(ClientMetadataDocument.TryRead(Encoding.UTF8.GetBytes(json), out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BreaksARule => new()
    {
        { """{"token_endpoint_auth_method":"tls_client_auth"}""", "exactly one of" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_dns":"a","tls_client_auth_san_uri":"https://a"}""", "exactly one of" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_email":"nobody"}""", "not an email address" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_uri":"relative/path"}""", "not an absolute URI" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_dns":"a.example","scope":"api:write"}""", "scope 'api:write' is not defined" },
        { """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_san_dns":"a.example","jwks":{"keys":[]}}""", "not by registered certificates" },
        { """{"token_endpoint_auth_method":"self_signed_tls_client_auth","jwks":{"keys":[{"kty":"EC"}]}}""", "has no x5c" },
        { """{"token_endpoint_auth_method":"self_signed_tls_client_auth","jwks":{"keys":[{"x5c":["AAAA"]}]}}""", "could not be read" },
        { """{"token_endpoint_auth_method":"self_signed_tls_client_auth","tls_client_auth_san_dns":"a","jwks":{"keys":[]}}""", "not by tls_client_auth_* metadata" },
        { """{"token_endpoint_auth_method":"client_secret_post"}""", "must be tls_client_auth or self_signed_tls_client_auth" },
    };

    [Theory]
    [MemberData(nameof(BreaksARule))]
    public void Metadata_that_reads_still_meets_the_configured_clients_rules(string json, string expected)
    {
        Assert.True(ClientMetadataDocument.TryRead(Encoding.UTF8.GetBytes(json), out var registration, out var error), error);
        Assert.Contains(ClientRegistrationRules.Problems(registration, Scopes, "Scopes"), problem => problem.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_members_are_ignored_and_the_stored_form_reads_back()
    {
        var json = """{"token_endpoint_auth_method":"tls_client_auth","tls_client_auth_subject_dn":"CN=a,O=b","scope":"api:read","client_name":"A","contacts":["ops@example.com"],"logo_uri":"https://x","software_statement_unknown":{"x":[1,2]}}""";

        Assert.True(ClientMetadataDocument.TryRead(Encoding.UTF8.GetBytes(json), out var registration, out var error), error);
        Assert.Empty(ClientRegistrationRules.Problems(registration, Scopes, "Scopes"));
        var stored = ClientMetadataDocument.Serialize("dyn-1", DateTimeOffset.UnixEpoch, registration);
        var again = ClientMetadataDocument.Deserialize("dyn-1", stored);
        Assert.Equal(("dyn-1", "CN=a,O=b", "api:read", "A", "ops@example.com"), (again.ClientId, again.SubjectDn, again.Scope, again.ClientName, again.Contacts.Single()));
        Assert.Contains("\"tls_client_certificate_bound_access_tokens\":true", stored, StringComparison.Ordinal);
    }

    private static readonly string[] Members =
    [
        "token_endpoint_auth_method", "tls_client_auth_subject_dn", "tls_client_auth_san_dns", "tls_client_auth_san_ip", "scope", "client_name",
        "contacts", "jwks", "grant_types", "response_types", "tls_client_certificate_bound_access_tokens", "jwks_uri", "client_id", "x",
    ];

    private static readonly Gen<string> Value = Gen.Frequency(
        (3, Gen.OneOf("\"tls_client_auth\"", "\"self_signed_tls_client_auth\"", "\"CN=a\"", "\"a.example\"", "\"10.0.0.1\"", "\"api:read\"")),
        (2, Gen.OneOf("null", "true", "false", "0", "-1e400", "[]", "{}", "[\"client_credentials\"]", "{\"keys\":[{\"x5c\":[\"AAAA\"]}]}", "{\"keys\":[{}]}")),
        (2, Gen.String[Gen.Char["\"\\{}[],:aZ09 \u00e9\u2028\0"], 0, 30].Select(s => "\"" + s + "\"")),
        (1, Gen.String[Gen.Char["\"\\{}[],:tfn01"], 0, 20]));

    private static readonly Gen<string> Documents = Gen.Frequency(
        (4, from members in (from name in Gen.OneOf(Members) from value in Value select $"\"{name}\":{value}").Array[0, 8]
            select "{" + string.Join(",", members) + "}"),
        (1, Gen.String[Gen.Char["{}[]\":,aZ09\\ \u00ff"], 0, 200]));

    [Fact]
    public void No_generated_document_makes_the_reader_or_the_rules_throw_and_every_accepted_one_round_trips()
    {
        Documents.Sample(json =>
        {
            if (!ClientMetadataDocument.TryRead(Encoding.UTF8.GetBytes(json), out var registration, out var error))
            {
                return error.Length > 0;
            }

            _ = ClientRegistrationRules.Problems(registration, Scopes, "Scopes").ToList();
            var again = ClientMetadataDocument.Deserialize("dyn-1", ClientMetadataDocument.Serialize("dyn-1", DateTimeOffset.UnixEpoch, registration));
            return again.TokenEndpointAuthMethod == registration.TokenEndpointAuthMethod && again.Scopes.SequenceEqual(registration.Scopes)
                && again.Identities().SequenceEqual(registration.Identities());
        }, iter: 3_000, seed: "0N0XIzNsQ0O2");
    }
}
