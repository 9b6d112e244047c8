using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MtlsAuthServer.ServiceDefaults.Logging;
using MtlsAuthServer.Specs.Support;

namespace MtlsAuthServer.Specs.Hosting;

/// <summary>
/// Serilog's logger factory makes a new logger per call, and per-request components (authentication handlers) call
/// it per request: the server's factory keeps one logger per category, bounded whatever names a caller passes.
/// </summary>
public sealed class CategoryLoggerCacheSpecs(ConfigurationMaterial material) : IClassFixture<ConfigurationMaterial>
{
    [Fact]
    public void The_servers_factory_hands_out_one_logger_per_category()
    {
        using var server = new UnstartedTokenServer(material, new Dictionary<string, string?>());
        var factory = server.Services.GetRequiredService<ILoggerFactory>();

        Assert.IsType<CategoryLoggerCache>(factory);
        Assert.Same(factory.CreateLogger("OpenIddict.Server.AspNetCore.OpenIddictServerAspNetCoreHandler"),
            factory.CreateLogger("OpenIddict.Server.AspNetCore.OpenIddictServerAspNetCoreHandler"));
        Assert.NotSame(factory.CreateLogger("A"), factory.CreateLogger("B"));
    }

    [Fact]
    public void Past_its_capacity_a_new_category_still_gets_a_working_logger_but_is_not_kept()
    {
        var inner = new CountingFactory();
        using var cache = new CategoryLoggerCache(inner);
        var kept = cache.CreateLogger("category-0");
        for (var i = 1; i < CategoryLoggerCache.Capacity; i++)
        {
            cache.CreateLogger($"category-{i}");
        }

        Assert.Equal(CategoryLoggerCache.Capacity, inner.Created);
        var overflow = cache.CreateLogger("one-too-many");
        Assert.NotNull(overflow);
        Assert.NotSame(overflow, cache.CreateLogger("one-too-many"));
        Assert.Equal(CategoryLoggerCache.Capacity + 2, inner.Created);
        Assert.Same(kept, cache.CreateLogger("category-0"));
        Assert.Equal(CategoryLoggerCache.Capacity + 2, inner.Created);
    }

    private sealed class CountingFactory : ILoggerFactory
    {
        public int Created { get; private set; }

        public ILogger CreateLogger(string categoryName)
        {
            Created++;
            return new DistinctLogger();
        }

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public void Dispose()
        {
        }
    }

    private sealed class DistinctLogger : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
