using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// One handler of one event as <see cref="IndexedServerDispatcher"/> runs it: its filters, then the handler. An inline
/// handler, and a handler or filter the container holds as a singleton, is resolved on first use and kept (typed for
/// <typeparamref name="TContext"/>, so no lookup or cast per request); anything else comes from the request's services
/// each time, as with OpenIddict's dispatcher. Nothing is resolved before it is needed: a handler whose filters never
/// pass is never constructed.
/// </summary>
public sealed class EventHandlerStep<TContext> where TContext : BaseContext
{
    private readonly Type _handlerType;
    private readonly bool _handlerIsSingleton;
    private readonly Type[] _filterTypes;
    private readonly bool[] _filterIsSingleton;
    private readonly IOpenIddictServerHandlerFilter<TContext>?[] _filters;
    private readonly IServiceProvider _root;
    private IOpenIddictServerHandler<TContext>? _handler;

    public EventHandlerStep(OpenIddictServerHandlerDescriptor descriptor, IServiceProvider root, RegisteredLifetimes? lifetimes)
    {
        _root = root;
        _handlerType = descriptor.ServiceDescriptor.ServiceType;
        _handler = descriptor.ServiceDescriptor.ImplementationInstance as IOpenIddictServerHandler<TContext>;
        _handlerIsSingleton = lifetimes?.IsSingleton(_handlerType) == true;
        _filterTypes = [.. descriptor.FilterTypes];
        _filterIsSingleton = [.. _filterTypes.Select(type => lifetimes?.IsSingleton(type) == true)];
        _filters = new IOpenIddictServerHandlerFilter<TContext>?[_filterTypes.Length];
    }

    public int FilterCount => _filterTypes.Length;

    public IOpenIddictServerHandlerFilter<TContext> Filter(int index, IServiceProvider services)
    {
        if (_filters[index] is { } kept)
        {
            return kept;
        }

        var filter = (_filterIsSingleton[index] ? _root : services).GetService(_filterTypes[index]) as IOpenIddictServerHandlerFilter<TContext>
            ?? throw new InvalidOperationException($"The handler filter '{_filterTypes[index]}' is not registered for {typeof(TContext).Name}.");
        if (_filterIsSingleton[index])
        {
            _filters[index] = filter;
        }

        return filter;
    }

    public IOpenIddictServerHandler<TContext> Handler(IServiceProvider services)
    {
        if (_handler is { } kept)
        {
            return kept;
        }

        var handler = (_handlerIsSingleton ? _root : services).GetService(_handlerType) as IOpenIddictServerHandler<TContext>
            ?? throw new InvalidOperationException($"The handler '{_handlerType}' is not registered for {typeof(TContext).Name}.");
        if (_handlerIsSingleton)
        {
            _handler = handler;
        }

        return handler;
    }
}
