using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Certificates;

/// <summary>
/// The chain step of <see cref="ClientCertificateValidator"/>: the client certificate's path to a configured anchor,
/// built with the request's policy or reused from <see cref="ChainBuildCache"/>, and the reason when there is none.
/// </summary>
internal static class ClientChainBuilder
{
    private const X509ChainStatusFlags TimeStatuses =
        X509ChainStatusFlags.NotTimeValid | X509ChainStatusFlags.NotTimeNested | X509ChainStatusFlags.CtlNotTimeValid;

    /// <summary>The certificate's path to an anchor: reused from <see cref="ChainBuildCache"/> or built now.</summary>
    public static X509Certificate2[]? Resolve(ChainBuildCache chains, X509Certificate2 certificate, X509ChainPolicy policy, CertificateValidationReport report)
    {
        var key = ChainBuildCache.KeyOf(certificate, policy);
        if (chains.TryGet(key, out var cached))
        {
            report.Pass(ClientCertificateValidator.ChainCheck, "builds to anchor " + cached[^1].Subject);
            return cached;
        }

        using var chain = new X509Chain { ChainPolicy = policy };
        var elements = BuildChain(chain, certificate, report);
        if (elements is null)
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }

            return null;
        }

        chains.Add(key, elements);
        return elements;
    }

    private static X509Certificate2[]? BuildChain(X509Chain chain, X509Certificate2 certificate, CertificateValidationReport report)
    {
        bool built;
        try
        {
            built = chain.Build(certificate);
        }
        catch (CryptographicException exception)
        {
            report.Fail(ClientCertificateValidator.ChainCheck, RejectionReason.CertificateMalformed, exception.Message);
            return null;
        }

        // Verification flags change Build()'s answer but not ChainStatus: drop the time statuses the policy
        // ignores (validity is checked below, with clock skew) and judge everything else.
        var status = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (flags, s) => flags | s.Status) & ~TimeStatuses;
        if (!built || status != X509ChainStatusFlags.NoError)
        {
            var reason = status switch
            {
                _ when status.HasFlag(X509ChainStatusFlags.UntrustedRoot) || status.HasFlag(X509ChainStatusFlags.PartialChain)
                    => RejectionReason.ChainUntrusted,
                _ when status == X509ChainStatusFlags.NotValidForUsage => RejectionReason.ExtendedKeyUsageInvalid,
                _ => RejectionReason.ChainInvalid,
            };
            report.Fail(ClientCertificateValidator.ChainCheck, reason, $"chain status: {status}");
            return null;
        }

        var elements = chain.ChainElements.Select(element => element.Certificate).ToArray();
        if (elements.Length < 2)
        {
            // The certificate is itself a trust anchor: a CA, never a client.
            report.Fail(ClientCertificateValidator.ChainCheck, RejectionReason.NotEndEntity, "the presented certificate is a configured trust anchor");
            return null;
        }

        report.Pass(ClientCertificateValidator.ChainCheck, "builds to anchor " + elements[^1].Subject);
        return elements;
    }
}
