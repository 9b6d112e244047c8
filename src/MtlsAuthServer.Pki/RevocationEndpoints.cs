namespace MtlsAuthServer.Pki;

/// <summary>URLs where a CA publishes its CRL and answers OCSP; stamped into the certificates it issues.</summary>
public sealed record RevocationEndpoints(Uri? CrlUri, Uri? OcspUri)
{
    public static RevocationEndpoints None { get; } = new(null, null);
}
