using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Clients;

/// <summary>
/// The rules one client registration must meet to be able to authenticate, and to match only its own certificates:
/// the one code path for configured clients (<see cref="ClientRegistryValidator"/>) and for registrations made at run
/// time (RFC 7591, the registration service). Each problem names the RFC 7591 / RFC 8705
/// metadata field it is about.
/// </summary>
public static class ClientRegistrationRules
{
    public static IEnumerable<string> Problems(ClientRegistration client, IReadOnlySet<string> scopes, string scopesDefinedIn)
    {
        if (client.ClientId.Length > Hosting.OAuthParameterLimits.ClientId)
        {
            // Longer ones are refused at the endpoints before any lookup: such a client could never authenticate.
            yield return $"client_id is longer than {Hosting.OAuthParameterLimits.ClientId} characters.";
        }

        foreach (var scope in client.Scopes.Where(scope => !scopes.Contains(scope)))
        {
            yield return $"scope '{scope}' is not defined under {scopesDefinedIn}.";
        }

        var identities = client.Identities();
        switch (client.TokenEndpointAuthMethod)
        {
            case ClientRegistration.TlsClientAuth:
                if (identities.Count != 1)
                {
                    yield return $"tls_client_auth needs exactly one of {string.Join(", ", ClientIdentity.MetadataNames.Keys)} (found {identities.Count}).";
                }
                else if (!identities[0].IsWellFormed(out var error))
                {
                    yield return $"{identities[0].MetadataName} '{identities[0].Value}': {error}.";
                }

                if (client.Jwks is not null || client.CertificatePaths.Count > 0)
                {
                    yield return "tls_client_auth clients are identified by their tls_client_auth_* metadata, not by registered certificates (jwks).";
                }

                break;
            case ClientRegistration.SelfSignedTlsClientAuth:
                foreach (var problem in SelfSignedProblems(client, identities))
                {
                    yield return problem;
                }

                break;
            default:
                yield return $"token_endpoint_auth_method '{client.TokenEndpointAuthMethod}' must be tls_client_auth or self_signed_tls_client_auth.";
                break;
        }
    }

    private static IEnumerable<string> SelfSignedProblems(ClientRegistration client, IReadOnlyList<ClientIdentity> identities)
    {
        if (identities.Count > 0)
        {
            yield return "self_signed_tls_client_auth clients are identified by their certificates, not by tls_client_auth_* metadata.";
        }

        if (client.Jwks?.Keys.FindIndex(key => key.X5c.Count == 0) is >= 0 and var keyWithoutX5c)
        {
            yield return $"jwks key {keyWithoutX5c} has no x5c: a self-signed client's keys are its certificates.";
        }

        if (!client.TryLoadSelfSignedCertificates(out var certificates, out var error))
        {
            yield return $"a registered certificate could not be read: {error}";
            yield break;
        }

        try
        {
            if (certificates.Count == 0)
            {
                yield return "self_signed_tls_client_auth needs at least one certificate (certificates or jwks x5c).";
            }

            foreach (var certificate in certificates)
            {
                if (!TrustBundle.IsSelfIssued(certificate))
                {
                    yield return $"registered certificate '{certificate.Subject}' is not self-signed.";
                }
                else if (certificate.Extensions.OfType<X509BasicConstraintsExtension>().Any(constraints => constraints.CertificateAuthority))
                {
                    yield return $"registered certificate '{certificate.Subject}' is a CA certificate, not an end-entity certificate.";
                }
            }
        }
        finally
        {
            foreach (var certificate in certificates)
            {
                certificate.Dispose();
            }
        }
    }
}
