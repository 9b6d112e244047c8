using MtlsAuthServer.Diagnostics;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// OpenIddict's event dispatch, reading each event's handlers from <see cref="EventHandlerIndex"/> instead of scanning
/// every descriptor. What runs is unchanged: the same handlers in the same order, each only when all its filters say so
/// (scoped filters and handlers resolved from the request's services, as OpenIddict does), and dispatch stops after the
/// handler that marks the request handled or skipped, or rejects it.
/// </summary>
public sealed class IndexedServerDispatcher(EventHandlerIndex index, IServiceProvider services, ILogger<IndexedServerDispatcher> logger)
    : IOpenIddictServerDispatcher
{
    public async ValueTask DispatchAsync<TContext>(TContext context) where TContext : BaseContext
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var step in index.For<TContext>())
        {
            // Almost every filter and handler completes synchronously: read its result without awaiting.
            var active = true;
            for (var i = 0; active && i < step.FilterCount; i++)
            {
                var verdict = step.Filter(i, services).IsActiveAsync(context);
                active = verdict.IsCompletedSuccessfully ? verdict.Result : await verdict;
            }

            if (!active)
            {
                continue;
            }

            var handler = step.Handler(services);
            try
            {
                var handled = handler.HandleAsync(context);
                if (!handled.IsCompletedSuccessfully)
                {
                    await handled;
                }
            }
            catch (Exception exception) when (logger.IsEnabled(LogLevel.Debug))
            {
                DispatchLog.HandlerFailed(logger, handler.GetType().FullName, typeof(TContext).Name, exception);
                throw;
            }

            if (StopReason(context) is { } reason)
            {
                DispatchLog.DispatchStopped(logger, typeof(TContext).Name, handler.GetType().FullName, reason);
                return;
            }
        }
    }

    private static string? StopReason(BaseContext context) => context switch
    {
        BaseRequestContext { IsRequestHandled: true } => "handled",
        BaseRequestContext { IsRequestSkipped: true } => "skipped",
        BaseValidatingContext { IsRejected: true } => "rejected",
        _ => null,
    };
}
