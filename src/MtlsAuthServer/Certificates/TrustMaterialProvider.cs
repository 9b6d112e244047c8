namespace MtlsAuthServer.Certificates;

/// <summary>Holds the current <see cref="TrustMaterial"/>; loaded and checked at start-up, replaceable while running.</summary>
public sealed class TrustMaterialProvider(TrustMaterial initial)
{
    private TrustMaterial _current = initial;

    public TrustMaterial Current => Volatile.Read(ref _current);

    /// <summary>Swaps in new material for later chain builds (hot reload); in-flight builds keep the old one.</summary>
    public void Replace(TrustMaterial material) => Volatile.Write(ref _current, material);
}
