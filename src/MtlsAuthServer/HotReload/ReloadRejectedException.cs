namespace MtlsAuthServer.HotReload;

/// <summary>A replacement that failed its checks; the message says why (it is logged, never shown to clients).</summary>
public sealed class ReloadRejectedException(string message, Exception? inner = null) : Exception(message, inner);
