namespace MtlsAuthServer.CertificateBinding.JwtBearer;

/// <summary>The JwtBearer schemes <see cref="CertificateBoundTokenExtensions.RequireCertificateBoundTokens"/> was called for.</summary>
internal sealed class CertificateBoundSchemes
{
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
}
