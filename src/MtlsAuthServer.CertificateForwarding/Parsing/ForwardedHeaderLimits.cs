namespace MtlsAuthServer.CertificateForwarding.Parsing;

/// <summary>Bounds on what a parser reads: header length before decoding, and intermediates after.</summary>
internal sealed record ForwardedHeaderLimits(int MaxHeaderLength, int MaxChainCertificates)
{
    public static ForwardedHeaderLimits Default { get; } = new(16 * 1024, PresentedCertificateChainFeature.MaxCertificates);
}
