using System.Security.Cryptography.X509Certificates;

namespace MtlsAuthServer.CertificateForwarding.Parsing;

internal enum ForwardedCertificateStatus
{
    /// <summary>No header (or an empty one): the proxy's client presented no certificate.</summary>
    Absent,

    /// <summary>A well-formed certificate (and optional intermediates). Not yet trusted: the application validates it.</summary>
    Parsed,

    /// <summary>A header that is not a usable certificate; treated as no certificate, with <see cref="ForwardedCertificateParseResult.Problem"/>.</summary>
    Invalid,
}

/// <summary>What a header parser found. The caller owns (and disposes) <see cref="Certificate"/> and <see cref="Chain"/>.</summary>
internal sealed class ForwardedCertificateParseResult
{
    private ForwardedCertificateParseResult(
        ForwardedCertificateStatus status, X509Certificate2? certificate, IReadOnlyList<X509Certificate2> chain, ForwardedHeaderProblem problem, string detail)
    {
        Status = status;
        Certificate = certificate;
        Chain = chain;
        Problem = problem;
        Detail = detail;
    }

    public static ForwardedCertificateParseResult Absent { get; } = new(ForwardedCertificateStatus.Absent, null, [], ForwardedHeaderProblem.None, "no certificate forwarded");

    public ForwardedCertificateStatus Status { get; }

    public X509Certificate2? Certificate { get; }

    /// <summary>Forwarded intermediates (never including <see cref="Certificate"/> itself).</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    public ForwardedHeaderProblem Problem { get; }

    /// <summary>For the security log: what was wrong, without echoing the header's content.</summary>
    public string Detail { get; }

    public static ForwardedCertificateParseResult Parsed(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> chain) =>
        new(ForwardedCertificateStatus.Parsed, certificate, chain, ForwardedHeaderProblem.None, "certificate forwarded");

    public static ForwardedCertificateParseResult Invalid(ForwardedHeaderProblem problem, string detail) =>
        new(ForwardedCertificateStatus.Invalid, null, [], problem, detail);
}
