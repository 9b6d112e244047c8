using System.Collections.Frozen;

namespace MtlsAuthServer.Tokens;

/// <summary>
/// The lifetime the container gives each service type, read from the service collection once it is built (the last
/// registration of a type is the one resolved). <see cref="EventHandlerIndex"/> keeps an instance only for a singleton:
/// resolving it once is what the container would return on every request anyway; anything else is resolved per request.
/// </summary>
public sealed class RegisteredLifetimes(IServiceCollection services)
{
    private readonly Lazy<FrozenDictionary<Type, ServiceLifetime>> _lifetimes = new(() =>
    {
        var lifetimes = new Dictionary<Type, ServiceLifetime>();
        foreach (var descriptor in services)
        {
            lifetimes[descriptor.ServiceType] = descriptor.Lifetime;
        }

        return lifetimes.ToFrozenDictionary();
    });

    public bool IsSingleton(Type serviceType) =>
        _lifetimes.Value.TryGetValue(serviceType, out var lifetime) && lifetime == ServiceLifetime.Singleton;
}
