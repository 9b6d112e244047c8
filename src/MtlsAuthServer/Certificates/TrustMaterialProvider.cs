using MtlsAuthServer.Pki;

namespace MtlsAuthServer.Certificates;

/// <summary>Holds the current <see cref="TrustBundle"/>; loaded and checked at start-up, replaceable while running.</summary>
public sealed class TrustMaterialProvider(TrustBundle initial)
{
    private TrustBundle _current = initial;

    public TrustBundle Current => Volatile.Read(ref _current);

    /// <summary>Swaps in new material for later chain builds (hot reload); in-flight builds keep the old one.</summary>
    public void Replace(TrustBundle material) => Volatile.Write(ref _current, material);
}
