using System.Security.Cryptography.X509Certificates;
using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates;

/// <summary>
/// Left for <c>Clients/ClientRegistryValidator</c> only, which another change owns while the trust bundle moves to
/// <see cref="TrustBundle"/> (issue 15): that call becomes <see cref="TrustBundle.IsSelfIssued"/> and this file goes.
/// </summary>
internal static class TrustMaterial
{
    public static bool IsSelfIssued(X509Certificate2 certificate) => TrustBundle.IsSelfIssued(certificate);
}
