using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates;

/// <summary>
/// The single owner of the client-certificate <see cref="X509ChainPolicy"/>: custom root trust in the configured
/// anchors only (never the OS store), clientAuth as application policy, no downloads of URLs named by the
/// certificate being checked, no revocation and no time checks inside the chain engine — those are done by
/// <see cref="ClientCertificateValidator"/> after trust is established, with our own fetching, caching and clock skew.
/// </summary>
public sealed class ClientChainPolicyFactory(TrustMaterialProvider trust)
{
    public X509ChainPolicy Create(IEnumerable<X509Certificate2>? presentedIntermediates = null) => Create(trust.Current, presentedIntermediates);

    /// <summary>The same rules with other anchors (the registration CAs of dynamic client registration).</summary>
    public static X509ChainPolicy Create(TrustBundle material, IEnumerable<X509Certificate2>? presentedIntermediates)
    {
        var policy = material.CreatePolicy(Oids.ClientAuthentication);
        if (presentedIntermediates is not null)
        {
            foreach (var certificate in presentedIntermediates)
            {
                policy.ExtraStore.Add(certificate);
            }
        }

        return policy;
    }

    /// <summary>Our rules for OpenIddict's self-signed policy: no revocation, no downloads; time is checked with skew by the validator.</summary>
    public static void ConfigureSelfSigned(X509ChainPolicy policy) => TrustBundle.ConfigureWithoutAnchors(policy);
}
