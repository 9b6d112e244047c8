using MtlsAuthServer.Diagnostics;

namespace MtlsAuthServer.Certificates;

/// <summary>One named check and its verdict.</summary>
public sealed record CertificateCheck(string Name, bool Passed, RejectionReason? Reason, string Detail);

/// <summary>The checks run on a certificate, in order; the first failure is the rejection reason.</summary>
public sealed class CertificateValidationReport
{
    private readonly List<CertificateCheck> _checks = [];

    public IReadOnlyList<CertificateCheck> Checks => _checks;

    public CertificateCheck? FirstFailure => _checks.FirstOrDefault(check => !check.Passed);

    public bool IsValid => FirstFailure is null;

    /// <summary>Checks concluded earlier for the same certificate (<see cref="StaticCheckMemo"/>).</summary>
    internal void Add(params ReadOnlySpan<CertificateCheck> checks) => _checks.AddRange(checks);

    internal void Pass(string name, string detail) => _checks.Add(new CertificateCheck(name, true, null, detail));

    internal void Fail(string name, RejectionReason reason, string detail) => _checks.Add(new CertificateCheck(name, false, reason, detail));
}
