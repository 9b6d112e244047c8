using System.Security.Cryptography;
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
    public X509ChainPolicy Create(IEnumerable<X509Certificate2>? presentedIntermediates = null)
    {
        var material = trust.Current;
        var policy = new X509ChainPolicy();
        Configure(policy, material);
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
    public static void ConfigureSelfSigned(X509ChainPolicy policy)
    {
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationFlags = IgnoreTime;
    }

    private static void Configure(X509ChainPolicy policy, TrustMaterial material)
    {
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.Clear();
        policy.CustomTrustStore.AddRange(material.Anchors);
        policy.ExtraStore.Clear();
        policy.ExtraStore.AddRange(material.Intermediates);
        if (!policy.ApplicationPolicy.Cast<Oid>().Any(oid => oid.Value == Oids.ClientAuthentication))
        {
            policy.ApplicationPolicy.Add(new Oid(Oids.ClientAuthentication));
        }
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationFlags = IgnoreTime;
    }

    private const X509VerificationFlags IgnoreTime = X509VerificationFlags.IgnoreNotTimeValid
        | X509VerificationFlags.IgnoreCtlNotTimeValid
        | X509VerificationFlags.IgnoreNotTimeNested;
}
