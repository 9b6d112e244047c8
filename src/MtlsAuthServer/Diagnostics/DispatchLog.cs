namespace MtlsAuthServer.Diagnostics;

/// <summary>OpenIddict event dispatch (ids 4600-4609): which handler ended an event, for tracing a refusal at Debug.</summary>
public static partial class DispatchLog
{
    [LoggerMessage(EventId = 4600, EventName = "EventDispatchStopped", Level = LogLevel.Debug,
        Message = "{Event}: {Handler} {Outcome} the request; no later handler runs")]
    public static partial void DispatchStopped(ILogger logger, string @event, string? handler, string outcome);

    [LoggerMessage(EventId = 4601, EventName = "EventHandlerFailed", Level = LogLevel.Debug,
        Message = "{Event}: {Handler} threw")]
    public static partial void HandlerFailed(ILogger logger, string? handler, string @event, Exception exception);
}
