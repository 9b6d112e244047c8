using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Tests.Revocation;

/// <summary>An options monitor over one instance; tests change the instance's properties directly.</summary>
internal sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
