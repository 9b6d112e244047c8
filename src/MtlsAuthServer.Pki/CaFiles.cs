namespace MtlsAuthServer.Pki;

/// <summary>
/// The files of one CA in a PKI folder: its certificate and key, its revocation state (revoked entries, CRL
/// number, publication URLs) and the CRL published from that state. The CRL's file name is the one its
/// distribution point URL ends with.
/// </summary>
public sealed record CaFiles(string Name, string Certificate, string Key, string State, string Crl)
{
    /// <summary>The CA's revocation state; see <see cref="CaStateFile.Load"/>.</summary>
    public CaState ReadState() => CaStateFile.Load(this);

    /// <summary>
    /// Loads the CA with its private key, stamping the publication URLs from its state (or
    /// <paramref name="fallback"/> when the state names none) into every certificate it issues.
    /// </summary>
    public CertificateAuthority Open(RevocationEndpoints? fallback = null)
    {
        var endpoints = ReadState().Endpoints ?? fallback ?? RevocationEndpoints.None;
        return CertificateAuthority.Load(Certificate, Key, endpoints);
    }
}
