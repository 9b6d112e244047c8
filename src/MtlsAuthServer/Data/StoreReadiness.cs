namespace MtlsAuthServer.Data;

/// <summary>
/// Whether this instance's start-up database work (schema migrations, client registry) has completed. Until it
/// has, the OAuth endpoints answer 503 and readiness reports why; the work is retried in the background.
/// </summary>
public sealed class StoreReadiness
{
    private volatile string? _notReadyReason = "start-up database work has not run yet";

    public bool IsReady => _notReadyReason is null;

    /// <summary>Why the instance is not ready, or null when it is.</summary>
    public string? NotReadyReason => _notReadyReason;

    public void MarkReady() => _notReadyReason = null;

    public void MarkNotReady(string reason) => _notReadyReason = reason;
}
