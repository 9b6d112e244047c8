using MtlsAuthServer.Diagnostics;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// OpenIddict's event dispatch, reading each event's handlers from <see cref="EventHandlerIndex"/> instead of scanning
/// every descriptor. What runs is unchanged: the same handlers in the same order, each only when all its filters say so
/// (filters and scoped handlers resolved from the request's services, as OpenIddict does), and dispatch stops after the
/// handler that marks the request handled or skipped, or rejects it.
/// </summary>
public sealed class IndexedServerDispatcher(EventHandlerIndex index, IServiceProvider services, ILogger<IndexedServerDispatcher> logger)
    : IOpenIddictServerDispatcher
{
    public async ValueTask DispatchAsync<TContext>(TContext context) where TContext : BaseContext
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var descriptor in index.For(typeof(TContext)))
        {
            if (!await IsActiveAsync(descriptor, context))
            {
                continue;
            }

            var handler = Resolve<TContext>(descriptor);
            try
            {
                await handler.HandleAsync(context);
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

    private async ValueTask<bool> IsActiveAsync<TContext>(OpenIddictServerHandlerDescriptor descriptor, TContext context)
        where TContext : BaseContext
    {
        foreach (var filterType in descriptor.FilterTypes)
        {
            if (services.GetService(filterType) is not IOpenIddictServerHandlerFilter<TContext> filter)
            {
                throw new InvalidOperationException($"The handler filter '{filterType}' is not registered for {typeof(TContext).Name}.");
            }

            if (!await filter.IsActiveAsync(context))
            {
                return false;
            }
        }

        return true;
    }

    private IOpenIddictServerHandler<TContext> Resolve<TContext>(OpenIddictServerHandlerDescriptor descriptor) where TContext : BaseContext =>
        descriptor.ServiceDescriptor.ImplementationInstance as IOpenIddictServerHandler<TContext> ??
        services.GetService(descriptor.ServiceDescriptor.ServiceType) as IOpenIddictServerHandler<TContext> ??
        throw new InvalidOperationException($"The handler '{descriptor.ServiceDescriptor.ServiceType}' is not registered for {typeof(TContext).Name}.");

    private static string? StopReason(BaseContext context) => context switch
    {
        BaseRequestContext { IsRequestHandled: true } => "handled",
        BaseRequestContext { IsRequestSkipped: true } => "skipped",
        BaseValidatingContext { IsRejected: true } => "rejected",
        _ => null,
    };
}
