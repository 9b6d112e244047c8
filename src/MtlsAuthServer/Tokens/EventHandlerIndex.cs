using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// OpenIddict's server handler descriptors grouped by the event they handle, in OpenIddict's order. OpenIddict's own
/// dispatcher walks all ~390 descriptors (every endpoint, every flow) for each of the ten or so events of a token request
/// and compares their context types one by one: about 6 % of a token's CPU in a profile (docs/benchmark-2026-12-02.md).
/// A token request still meets ~136 handlers of its events; each is an <see cref="EventHandlerStep{TContext}"/> that keeps
/// its singleton handler and filters, so the container is not asked for them ~200 times per request.
/// Built once per <see cref="OpenIddictServerOptions"/> instance, and again if the options are ever rebuilt.
/// </summary>
public sealed class EventHandlerIndex(IOptionsMonitor<OpenIddictServerOptions> options, IServiceProvider root, RegisteredLifetimes? lifetimes = null)
{
    private Snapshot? _current;

    /// <summary>The handlers of <typeparamref name="TContext"/>, in the order they run.</summary>
    public EventHandlerStep<TContext>[] For<TContext>() where TContext : BaseContext
    {
        var handlers = options.CurrentValue.Handlers;
        var snapshot = Volatile.Read(ref _current);
        if (snapshot is null || !ReferenceEquals(snapshot.Source, handlers))
        {
            snapshot = new Snapshot(handlers);
            Volatile.Write(ref _current, snapshot);
        }

        return (EventHandlerStep<TContext>[])snapshot.Steps.GetOrAdd(typeof(TContext), static (_, state) => state.Index.Build<TContext>(state.Snapshot), (Index: this, Snapshot: snapshot));
    }

    private EventHandlerStep<TContext>[] Build<TContext>(Snapshot snapshot) where TContext : BaseContext =>
        snapshot.ByContext.TryGetValue(typeof(TContext), out var descriptors)
            ? [.. descriptors.Select(descriptor => new EventHandlerStep<TContext>(descriptor, root, lifetimes))]
            : [];

    private sealed class Snapshot(List<OpenIddictServerHandlerDescriptor> source)
    {
        public List<OpenIddictServerHandlerDescriptor> Source { get; } = source;

        // OpenIddict sorts Handlers by order when it builds the options; grouping keeps that order within each event.
        public FrozenDictionary<Type, OpenIddictServerHandlerDescriptor[]> ByContext { get; } =
            source.GroupBy(descriptor => descriptor.ContextType).ToFrozenDictionary(group => group.Key, group => group.ToArray());

        // One array per event, built on its first dispatch.
        public ConcurrentDictionary<Type, object> Steps { get; } = new();
    }
}
