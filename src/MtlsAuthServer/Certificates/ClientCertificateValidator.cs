using System.Buffers.Text;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates;

/// <summary>
/// Every check a client certificate must pass, in one place and one order: chain to a configured anchor,
/// algorithms (<see cref="CertificateAlgorithmPolicy"/>, on every certificate of the path), validity (± clock skew), end-entity and usages, revocation (<see cref="PathRevocationCheck"/>), and the client's registered identity.
/// The server stops at the first failure; the diagnose command runs them all. A certificate object that passed them all is
/// not decoded again for its next request (<see cref="StaticCheckMemo"/>): only validity and revocation are.
/// </summary>
public sealed class ClientCertificateValidator(
    ChainBuildCache chains,
    StaticCheckMemo memo,
    PathRevocationCheck revocation,
    TimeProvider time,
    IOptionsMonitor<ClientCertificateOptions> options)
{
    public const string EncodingCheck = "encoding";
    public const string ChainCheck = "chain";
    public const string AlgorithmsCheck = "algorithms";
    public const string ValidityCheck = "validity";
    public const string UsageCheck = "usage";
    public const string RevocationCheck = "revocation";
    public const string IdentityCheck = "identity";
    public const string RegistrationCheck = "registration";

    /// <summary>Validates a CA-issued certificate (<c>tls_client_auth</c>) against <paramref name="policy"/>.</summary>
    public async Task<CertificateValidationReport> ValidateIssuedAsync(
        X509Certificate2 certificate, X509ChainPolicy policy, ClientIdentity? identity, bool runAllChecks, CancellationToken cancellationToken)
    {
        var report = new CertificateValidationReport();
        var settings = options.CurrentValue;
        // The diagnose command always runs every check itself.
        var remembered = runAllChecks ? null : memo.Find(certificate, policy, settings);
        X509Certificate2[]? elements;
        if (remembered is not null)
        {
            report.Add(remembered.BeforeValidity);
            elements = remembered.Path;
        }
        else
        {
            // Later checks (and the revocation code) read these names: a client's malformed one stops here, with its reason.
            if (!CheckEncoding(certificate, report))
            {
                return report;
            }

            elements = ClientChainBuilder.Resolve(chains, certificate, policy, report);
            if (elements is null && !runAllChecks)
            {
                return report;
            }

            // After the chain: the intermediates judged are the ones the path really goes through (sent or configured).
            if (!CheckAlgorithms(elements ?? [certificate], lastIsAnchor: elements is not null, settings, report) && !runAllChecks)
            {
                return report;
            }
        }

        if (!CheckValidity(elements ?? [certificate], settings, report) && !runAllChecks)
        {
            return report;
        }

        if (remembered is not null)
        {
            report.Add(remembered.Usage);
        }
        else if (!Parsing(UsageCheck, report, () => CheckUsage(certificate, requireEndEntity: true, report)) && !runAllChecks)
        {
            return report;
        }

        if (elements is not null && !await revocation.RunAsync(elements, report, cancellationToken).ConfigureAwait(false) && !runAllChecks)
        {
            return report;
        }

        if (remembered is not null && Equals(remembered.Identity, identity))
        {
            report.Add(remembered.IdentityPass);
            return report;
        }

        Parsing(IdentityCheck, report, () => CheckIdentity(certificate, identity, report));
        if (remembered is null && !runAllChecks && elements is not null)
        {
            memo.Remember(certificate, policy, settings, elements, identity, report);
        }

        return report;
    }

    /// <summary>Validates a self-signed certificate (<c>self_signed_tls_client_auth</c>): it must be one the client registered.</summary>
    public CertificateValidationReport ValidateSelfSigned(X509Certificate2 certificate, IReadOnlyList<byte[]> registeredSha256, bool runAllChecks)
    {
        var report = new CertificateValidationReport();
        var settings = options.CurrentValue;
        if (!CheckEncoding(certificate, report))
        {
            return report;
        }

        var presented = SHA256.HashData(certificate.RawData);
        // Fixed-time comparison, and no early exit across registered certificates.
        var registered = false;
        foreach (var candidate in registeredSha256)
        {
            registered |= CryptographicOperations.FixedTimeEquals(presented, candidate);
        }

        if (registered)
        {
            report.Pass(RegistrationCheck, "the certificate is registered for this client");
        }
        else
        {
            report.Fail(RegistrationCheck, RejectionReason.SelfSignedCertificateNotRegistered,
                $"none of the {registeredSha256.Count} registered certificates has x5t#S256 {Base64Url.EncodeToString(presented)}");
            if (!runAllChecks)
            {
                return report;
            }
        }

        // The registration pins the certificate, but TLS proved possession of its key: a weak key is a forgeable client.
        if (!CheckAlgorithms([certificate], lastIsAnchor: false, settings, report) && !runAllChecks)
        {
            return report;
        }

        if (!CheckValidity([certificate], settings, report) && !runAllChecks)
        {
            return report;
        }

        // The registration pins this exact certificate, so a CA flag (openssl's default for self-signed) grants nothing.
        Parsing(UsageCheck, report, () => CheckUsage(certificate, requireEndEntity: false, report));
        return report;
    }

    /// <summary>
    /// RFC 5280 §4.1: a certificate is DER. Its subject and issuer names must be, strictly: a BER-only name (an
    /// unsorted multi-valued RDN, a long-form length) is parsed differently by different stacks, and is the client's
    /// doing, so it is <see cref="RejectionReason.CertificateMalformed"/>, never a 500 further down.
    /// </summary>
    private static bool CheckEncoding(X509Certificate2 certificate, CertificateValidationReport report)
    {
        foreach (var (role, name) in new[] { ("subject", certificate.SubjectName), ("issuer", certificate.IssuerName) })
        {
            if (!DistinguishedName.TryFromX500(name, out _, out var error))
            {
                report.Fail(EncodingCheck, RejectionReason.CertificateMalformed, $"the {role} name is not a DER-encoded name: {error}");
                return false;
            }
        }

        report.Pass(EncodingCheck, "subject and issuer names are DER-encoded");
        return true;
    }

    /// <summary>
    /// RFC 9325 §4.2 / RFC 8705 §2.1: no MD5/SHA-1 signature below the anchor, no RSA key under the configured minimum
    /// (≥ 2048), EC only on P-256/384/521 (≥ the configured curve), for each certificate of the path and the anchor's key.
    /// Every check of one validation reads the same options snapshot (the one <see cref="StaticCheckMemo"/> is keyed by).
    /// </summary>
    private static bool CheckAlgorithms(X509Certificate2[] path, bool lastIsAnchor, ClientCertificateOptions settings, CertificateValidationReport report)
    {
        var policy = new CertificateAlgorithmPolicy(settings.MinimumRsaKeyBits, settings.MinimumEcCurveBits);
        if (policy.Judge(path, lastIsAnchor) is { } finding)
        {
            var reason = finding.Finding == AlgorithmFinding.Weak ? RejectionReason.WeakCertificate : RejectionReason.CertificateMalformed;
            report.Fail(AlgorithmsCheck, reason, finding.Detail);
            return false;
        }

        report.Pass(AlgorithmsCheck, $"{CertificateAlgorithmPolicy.Describe(path[0])} (minimums RSA {policy.MinimumRsaKeyBits}, EC P-{policy.MinimumEcCurveBits}; {path.Length} certificate(s) judged)");
        return true;
    }

    /// <summary>
    /// Runs a check that decodes parts of the certificate (extensions, names) lazily: a decoding failure of the
    /// client's data is <see cref="RejectionReason.CertificateMalformed"/> under that check's name, not an exception.
    /// </summary>
    private static bool Parsing(string name, CertificateValidationReport report, Func<bool> check)
    {
        try
        {
            return check();
        }
        catch (Exception exception) when (exception is CryptographicException or AsnContentException)
        {
            report.Fail(name, RejectionReason.CertificateMalformed, $"the certificate cannot be decoded: {exception.Message}");
            return false;
        }
    }

    private bool CheckValidity(X509Certificate2[] path, ClientCertificateOptions settings, CertificateValidationReport report)
    {
        var now = time.GetUtcNow();
        var skew = settings.ClockSkew;
        foreach (var certificate in path)
        {
            var role = ReferenceEquals(certificate, path[0]) ? "certificate" : $"issuer '{certificate.Subject}'";
            if (now + skew < certificate.NotBefore.ToUniversalTime())
            {
                report.Fail(ValidityCheck, RejectionReason.CertificateNotYetValid, $"{role} is valid from {certificate.NotBefore.ToUniversalTime():O}");
                return false;
            }

            if (now - skew > certificate.NotAfter.ToUniversalTime())
            {
                report.Fail(ValidityCheck, RejectionReason.CertificateExpired, $"{role} expired at {certificate.NotAfter.ToUniversalTime():O}");
                return false;
            }
        }

        report.Pass(ValidityCheck, $"valid until {path[0].NotAfter.ToUniversalTime():O} (clock skew {skew})");
        return true;
    }

    private static bool CheckUsage(X509Certificate2 certificate, bool requireEndEntity, CertificateValidationReport report)
    {
        if (requireEndEntity && certificate.Extensions[Oids.BasicConstraints] is X509BasicConstraintsExtension { CertificateAuthority: true })
        {
            report.Fail(UsageCheck, RejectionReason.NotEndEntity, "basic constraints mark the certificate as a CA");
            return false;
        }

        if (certificate.Extensions[Oids.KeyUsage] is X509KeyUsageExtension keyUsage
            && !keyUsage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            report.Fail(UsageCheck, RejectionReason.KeyUsageInvalid, $"key usage {keyUsage.KeyUsages} lacks digitalSignature");
            return false;
        }

        if (certificate.Extensions[Oids.ExtendedKeyUsage] is X509EnhancedKeyUsageExtension eku
            && !eku.EnhancedKeyUsages.Cast<Oid>().Any(oid => oid.Value == Oids.ClientAuthentication))
        {
            report.Fail(UsageCheck, RejectionReason.ExtendedKeyUsageInvalid, "extended key usage lacks clientAuth");
            return false;
        }

        report.Pass(UsageCheck, requireEndEntity ? "end-entity certificate usable for client authentication" : "usable for client authentication");
        return true;
    }

    private static bool CheckIdentity(X509Certificate2 certificate, ClientIdentity? identity, CertificateValidationReport report)
    {
        if (identity is null)
        {
            report.Pass(IdentityCheck, "no client given: identity not compared");
            return true;
        }

        var sans = SubjectAlternativeNameSet.TryRead(certificate);
        if (sans is null)
        {
            report.Fail(IdentityCheck, RejectionReason.CertificateMalformed, "the subject alternative name extension is malformed");
            return false;
        }

        if (ClientIdentityMatcher.Matches(certificate, identity, sans))
        {
            report.Pass(IdentityCheck, $"{identity.MetadataName} matches");
            return true;
        }

        var presented = identity.Kind switch
        {
            ClientIdentityKind.SubjectDn => certificate.Subject,
            ClientIdentityKind.SanDns => string.Join(", ", sans.DnsNames),
            ClientIdentityKind.SanUri => string.Join(", ", sans.Uris),
            ClientIdentityKind.SanIp => string.Join(", ", sans.IpAddresses),
            _ => string.Join(", ", sans.Emails),
        };
        report.Fail(IdentityCheck, RejectionReason.IdentityMismatch,
            $"{identity.MetadataName} '{identity.Value}' not found; certificate has '{presented}'");
        return false;
    }
}
