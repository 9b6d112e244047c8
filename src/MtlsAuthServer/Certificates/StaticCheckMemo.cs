using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.Certificates;

/// <summary>
/// What <see cref="ClientCertificateValidator"/> concluded about a certificate that passed every check, for the next
/// request that presents the same certificate object: on a kept-alive TLS connection, Kestrel hands every request the
/// instance its handshake produced. Only the checks whose verdict depends on nothing but the certificate's bytes, the
/// trust material and the options are remembered (encoding, chain, algorithms, usage, and identity for one client's
/// registered identity); validity and revocation are checked again on every request.
/// <para>
/// Keyed by the object, not by anything the client sent, and held only as long as the object lives (a connection, or
/// one request for a forwarded certificate), so it is bounded by the live connections. An entry is used only when the
/// request's policy has the very same anchors and intermediates (the same objects, in the same order), the same flags
/// and application policies, and the options are the same snapshot: a trust or options reload makes every entry stale.
/// </para>
/// </summary>
public sealed class StaticCheckMemo
{
    private readonly ConditionalWeakTable<X509Certificate2, Entry> _entries = new();

    /// <summary>The remembered verdict for <paramref name="certificate"/> under exactly this policy and options, or null.</summary>
    public Entry? Find(X509Certificate2 certificate, X509ChainPolicy policy, ClientCertificateOptions options) =>
        _entries.TryGetValue(certificate, out var entry) && ReferenceEquals(entry.Options, options) && entry.Policy.Matches(policy)
            ? entry
            : null;

    /// <summary>Keeps the static checks of <paramref name="report"/>, which must be a pass of every check.</summary>
    public void Remember(X509Certificate2 certificate, X509ChainPolicy policy, ClientCertificateOptions options,
        X509Certificate2[] path, ClientIdentity? identity, CertificateValidationReport report)
    {
        if (!report.IsValid)
        {
            return;
        }

        CertificateCheck Passed(string name) => report.Checks.Single(check => check.Name == name);
        _entries.AddOrUpdate(certificate, new Entry(
            options, PolicyFingerprint.Of(policy), path,
            [Passed(ClientCertificateValidator.EncodingCheck), Passed(ClientCertificateValidator.ChainCheck), Passed(ClientCertificateValidator.AlgorithmsCheck)],
            Passed(ClientCertificateValidator.UsageCheck), identity, Passed(ClientCertificateValidator.IdentityCheck)));
    }

    /// <summary>
    /// One remembered success: the snapshot it was decided under, the chain path, the passes of the checks before validity
    /// (in their order) and of usage, and the identity check's pass for <see cref="Identity"/> only (another client's identity
    /// is compared afresh).
    /// </summary>
    public sealed record Entry(
        ClientCertificateOptions Options, PolicyFingerprint Policy, X509Certificate2[] Path,
        CertificateCheck[] BeforeValidity, CertificateCheck Usage, ClientIdentity? Identity, CertificateCheck IdentityPass);

    /// <summary>What of a chain policy decides the chain engine's answer, held by reference.</summary>
    public sealed class PolicyFingerprint
    {
        private readonly X509Certificate2[] _anchors;
        private readonly X509Certificate2[] _extra;
        private readonly string?[] _applicationPolicies;
        private readonly string?[] _certificatePolicies;
        private readonly X509VerificationFlags _flags;
        private readonly X509ChainTrustMode _trustMode;
        private readonly X509RevocationMode _revocationMode;
        private readonly bool _downloads;

        private PolicyFingerprint(X509ChainPolicy policy)
        {
            _anchors = [.. policy.CustomTrustStore];
            _extra = [.. policy.ExtraStore];
            _applicationPolicies = [.. policy.ApplicationPolicy.Cast<Oid>().Select(oid => oid.Value)];
            _certificatePolicies = [.. policy.CertificatePolicy.Cast<Oid>().Select(oid => oid.Value)];
            _flags = policy.VerificationFlags;
            _trustMode = policy.TrustMode;
            _revocationMode = policy.RevocationMode;
            _downloads = policy.DisableCertificateDownloads;
        }

        public static PolicyFingerprint Of(X509ChainPolicy policy) => new(policy);

        public bool Matches(X509ChainPolicy policy) =>
            policy.VerificationFlags == _flags && policy.TrustMode == _trustMode && policy.RevocationMode == _revocationMode
            && policy.DisableCertificateDownloads == _downloads
            && SameObjects(policy.CustomTrustStore, _anchors) && SameObjects(policy.ExtraStore, _extra)
            && SameValues(policy.ApplicationPolicy, _applicationPolicies) && SameValues(policy.CertificatePolicy, _certificatePolicies);

        private static bool SameObjects(X509Certificate2Collection live, X509Certificate2[] kept)
        {
            if (live.Count != kept.Length)
            {
                return false;
            }

            for (var i = 0; i < kept.Length; i++)
            {
                if (!ReferenceEquals(live[i], kept[i]))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool SameValues(OidCollection live, string?[] kept)
        {
            if (live.Count != kept.Length)
            {
                return false;
            }

            for (var i = 0; i < kept.Length; i++)
            {
                if (!string.Equals(live[i].Value, kept[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
