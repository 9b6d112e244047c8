using System.Collections.Frozen;
using Microsoft.Extensions.Options;
using OpenIddict.Server;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// OpenIddict's server handler descriptors grouped by the event they handle, in OpenIddict's order. OpenIddict's own
/// dispatcher walks all ~390 descriptors (every endpoint, every flow) for each of the ten or so events of a token request
/// and compares their context types one by one: about 6 % of a token's CPU in a profile (docs/benchmark-2026-12-02.md).
/// Built once per <see cref="OpenIddictServerOptions"/> instance, and again if the options are ever rebuilt.
/// </summary>
public sealed class EventHandlerIndex(IOptionsMonitor<OpenIddictServerOptions> options)
{
    private Snapshot? _current;

    /// <summary>The descriptors of the handlers of <paramref name="contextType"/>, in the order they run.</summary>
    public OpenIddictServerHandlerDescriptor[] For(Type contextType)
    {
        var handlers = options.CurrentValue.Handlers;
        var snapshot = Volatile.Read(ref _current);
        if (snapshot is null || !ReferenceEquals(snapshot.Source, handlers))
        {
            snapshot = new Snapshot(handlers);
            Volatile.Write(ref _current, snapshot);
        }

        return snapshot.ByContext.TryGetValue(contextType, out var descriptors) ? descriptors : [];
    }

    private sealed class Snapshot(List<OpenIddictServerHandlerDescriptor> source)
    {
        public List<OpenIddictServerHandlerDescriptor> Source { get; } = source;

        // OpenIddict sorts Handlers by order when it builds the options; grouping keeps that order within each event.
        public FrozenDictionary<Type, OpenIddictServerHandlerDescriptor[]> ByContext { get; } =
            source.GroupBy(descriptor => descriptor.ContextType).ToFrozenDictionary(group => group.Key, group => group.ToArray());
    }
}
