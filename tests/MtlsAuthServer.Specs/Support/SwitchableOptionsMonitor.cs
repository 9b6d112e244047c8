using Microsoft.Extensions.Options;

namespace MtlsAuthServer.Specs.Support;

/// <summary>Options whose current value a spec replaces, as a configuration reload does (a new instance each time).</summary>
public sealed class SwitchableOptionsMonitor<T>(T current) : IOptionsMonitor<T>
{
    public T Current { get; set; } = current;

    public T CurrentValue => Current;

    public T Get(string? name) => Current;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
