using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Specs.Support;
using MtlsAuthServer.Tokens;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace MtlsAuthServer.Specs.Tokens;

/// <summary>
/// <see cref="IndexedServerDispatcher"/> must run exactly what OpenIddict's own dispatcher runs: for any list of
/// handlers (events interleaved, filters that pass or block, handlers that handle, skip or reject the request, inline
/// or resolved from the container), both dispatchers run the same handlers in the same order and stop at the same one.
/// </summary>
public sealed class IndexedServerDispatcherSpecs
{
    private enum Outcome { Continue, Handle, Skip, Reject }

    private enum Registration { Inline, Singleton, Scoped }

    private sealed record Handler(int Order, bool ForTokenRequest, Type[] Filters, Outcome Outcome, Registration Registration);

    private static readonly Gen<Handler> Handlers =
        from order in Gen.Int[-5, 5]
        from forTokenRequest in Gen.Bool
        from filters in Gen.OneOf(Gen.Const(typeof(Passes)), Gen.Const(typeof(Blocks)), Gen.Const(typeof(PassesScoped)), Gen.Const(typeof(BlocksScoped))).Array[0, 2]
        from outcome in Gen.Frequency((6, Gen.Const(Outcome.Continue)), (1, Gen.Const(Outcome.Handle)), (1, Gen.Const(Outcome.Skip)), (1, Gen.Const(Outcome.Reject)))
        from registration in Gen.Enum<Registration>()
        select new Handler(order, forTokenRequest, filters, outcome, registration);

    [Fact]
    public async Task Runs_the_same_handlers_in_the_same_order_as_OpenIddicts_dispatcher_for_any_handler_list()
    {
        await Handlers.Array[0, 14].SampleAsync(async handlers =>
        {
            await using var pipeline = new Pipeline(handlers);
            foreach (var dispatchTokenRequest in (bool[])[false, true])
            {
                var expected = await pipeline.RunAsync(provider => new OpenIddictServerDispatcher(
                    NullLogger<OpenIddictServerDispatcher>.Instance, provider.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>(), provider), dispatchTokenRequest);
                // Twice on one index: the second run uses the singletons the first one kept.
                var index = pipeline.Index();
                foreach (var _ in (int[])[1, 2])
                {
                    var actual = await pipeline.RunAsync(provider => new IndexedServerDispatcher(index, provider, NullLogger<IndexedServerDispatcher>.Instance), dispatchTokenRequest);
                    Assert.Equal(expected, actual);
                }
            }
        }, iter: 2_000, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public async Task Follows_the_options_when_they_are_rebuilt_with_other_handlers()
    {
        var trace = new List<string>();
        var monitor = new SwitchableOptionsMonitor<OpenIddictServerOptions>(Options(trace, "first"));
        var provider = new ServiceCollection().BuildServiceProvider();
        var index = new EventHandlerIndex(monitor, provider);
        var dispatcher = new IndexedServerDispatcher(index, provider, NullLogger<IndexedServerDispatcher>.Instance);

        await dispatcher.DispatchAsync(new ProcessRequestContext(new OpenIddictServerTransaction()));
        monitor.Current = Options(trace, "second");
        await dispatcher.DispatchAsync(new ProcessRequestContext(new OpenIddictServerTransaction()));

        Assert.Equal(["first", "second"], trace);
    }

    [Fact]
    public async Task A_filter_missing_from_the_container_is_an_error_not_a_skipped_handler()
    {
        var options = Empty();
        options.Handlers.Add(OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
            .AddFilter<Passes>().UseInlineHandler(_ => ValueTask.CompletedTask).Build());
        var provider = new ServiceCollection().BuildServiceProvider();
        var dispatcher = new IndexedServerDispatcher(new EventHandlerIndex(new SwitchableOptionsMonitor<OpenIddictServerOptions>(options), provider),
            provider, NullLogger<IndexedServerDispatcher>.Instance);

        await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.DispatchAsync(new ProcessRequestContext(new OpenIddictServerTransaction())).AsTask());
    }

    [Fact]
    public async Task A_scoped_handler_and_filter_come_from_each_requests_services_a_singleton_is_resolved_once()
    {
        var options = Empty();
        options.Handlers.Add(OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
            .AddFilter<CountedFilter>().UseScopedHandler<CountedHandler>().Build());
        options.Handlers.Add(OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
            .AddFilter<Passes>().UseSingletonHandler<SingletonHandler>().Build());
        var services = new ServiceCollection();
        services.AddSingleton<IOptionsMonitor<OpenIddictServerOptions>>(new SwitchableOptionsMonitor<OpenIddictServerOptions>(options));
        services.AddScoped<CountedFilter>().AddScoped<CountedHandler>().AddSingleton<Passes>().AddSingleton<SingletonHandler>();
        services.AddSingleton(new RegisteredLifetimes(services));
        services.AddSingleton<EventHandlerIndex>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        var index = provider.GetRequiredService<EventHandlerIndex>();

        var seen = new List<object>();
        foreach (var _ in (int[])[1, 2, 3])
        {
            await using var scope = provider.CreateAsyncScope();
            await new IndexedServerDispatcher(index, scope.ServiceProvider, NullLogger<IndexedServerDispatcher>.Instance)
                .DispatchAsync(new ProcessRequestContext(new OpenIddictServerTransaction()));
            seen.Add(scope.ServiceProvider.GetRequiredService<CountedHandler>());
            seen.Add(scope.ServiceProvider.GetRequiredService<CountedFilter>());
        }

        // Each request ran its own scoped instances (the ones its scope holds), never another request's.
        Assert.All(seen, instance => Assert.Equal(1, ((ICounted)instance).Calls));
        Assert.Equal(6, seen.Distinct().Count());
        Assert.Equal(3, provider.GetRequiredService<SingletonHandler>().Calls);
    }

    private interface ICounted
    {
        int Calls { get; }
    }

    private sealed class CountedFilter : IOpenIddictServerHandlerFilter<BaseContext>, ICounted
    {
        public int Calls { get; private set; }

        public ValueTask<bool> IsActiveAsync(BaseContext context) { Calls++; return ValueTask.FromResult(true); }
    }

    private sealed class CountedHandler : IOpenIddictServerHandler<ProcessRequestContext>, ICounted
    {
        public int Calls { get; private set; }

        public ValueTask HandleAsync(ProcessRequestContext context) { Calls++; return ValueTask.CompletedTask; }
    }

    private sealed class SingletonHandler : IOpenIddictServerHandler<ProcessRequestContext>, ICounted
    {
        public int Calls { get; private set; }

        public ValueTask HandleAsync(ProcessRequestContext context) { Calls++; return ValueTask.CompletedTask; }
    }

    // New options come with OpenIddict's default handlers; these specs describe their own.
    private static OpenIddictServerOptions Empty()
    {
        var options = new OpenIddictServerOptions();
        options.Handlers.Clear();
        return options;
    }

    private static OpenIddictServerOptions Options(List<string> trace, string name)
    {
        var options = Empty();
        options.Handlers.Add(OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
            .UseInlineHandler(_ => { trace.Add(name); return ValueTask.CompletedTask; }).Build());
        return options;
    }

    /// <summary>One generated handler list, registered as OpenIddict registers handlers, with a trace of what ran.</summary>
    private sealed class Pipeline : IAsyncDisposable
    {
        private readonly List<string> _trace = [];
        private readonly ServiceCollection _services = new();
        private readonly ServiceProvider _provider;

        public Pipeline(Handler[] handlers)
        {
            var options = Empty();
            for (var id = 0; id < handlers.Length; id++)
            {
                options.Handlers.Add(handlers[id].ForTokenRequest ? Describe<ExtractTokenRequestContext>(id, handlers[id]) : Describe<ProcessRequestContext>(id, handlers[id]));
            }

            // OpenIddict sorts its handlers by order when it builds the options (a stable sort).
            var sorted = options.Handlers.OrderBy(descriptor => descriptor.Order).ToList();
            options.Handlers.Clear();
            options.Handlers.AddRange(sorted);
            _services.AddSingleton<IOptionsMonitor<OpenIddictServerOptions>>(new SwitchableOptionsMonitor<OpenIddictServerOptions>(options));
            _services.AddSingleton<Passes>();
            _services.AddSingleton<Blocks>();
            _services.AddScoped<PassesScoped>();
            _services.AddScoped<BlocksScoped>();
            _services.AddSingleton(new RegisteredLifetimes(_services));
            _provider = _services.BuildServiceProvider();
        }

        public ValueTask DisposeAsync() => _provider.DisposeAsync();

        /// <summary>An index over this pipeline's root container, as the server's is.</summary>
        public EventHandlerIndex Index() => new(
            _provider.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>(), _provider, _provider.GetRequiredService<RegisteredLifetimes>());

        public async Task<List<string>> RunAsync(Func<IServiceProvider, IOpenIddictServerDispatcher> dispatcherOf, bool dispatchTokenRequest)
        {
            _trace.Clear();
            await using var scope = _provider.CreateAsyncScope();
            var dispatcher = dispatcherOf(scope.ServiceProvider);
            var transaction = new OpenIddictServerTransaction();
            if (dispatchTokenRequest)
            {
                await dispatcher.DispatchAsync(new ExtractTokenRequestContext(transaction));
            }
            else
            {
                await dispatcher.DispatchAsync(new ProcessRequestContext(transaction));
            }

            return [.. _trace];
        }

        private OpenIddictServerHandlerDescriptor Describe<TContext>(int id, Handler handler) where TContext : BaseValidatingContext
        {
            var builder = OpenIddictServerHandlerDescriptor.CreateBuilder<TContext>().SetOrder(handler.Order);
            foreach (var filter in handler.Filters)
            {
                builder = filter.Name switch
                {
                    nameof(Passes) => builder.AddFilter<Passes>(),
                    nameof(Blocks) => builder.AddFilter<Blocks>(),
                    nameof(PassesScoped) => builder.AddFilter<PassesScoped>(),
                    _ => builder.AddFilter<BlocksScoped>(),
                };
            }

            var recording = new Recording<TContext>(_trace, $"{id}:{handler.Outcome}", handler.Outcome);
            if (handler.Registration == Registration.Inline)
            {
                return builder.UseInlineHandler(recording.HandleAsync).Build();
            }

            // Resolved from the container, as OpenIddict's scoped and singleton handlers are: each its own service type.
            var serviceType = typeof(Slot<,>).MakeGenericType(typeof(TContext), SlotTypes[id]);
            var lifetime = handler.Registration == Registration.Singleton ? ServiceLifetime.Singleton : ServiceLifetime.Scoped;
            ((IServiceCollection)_services).Add(new ServiceDescriptor(serviceType, _ =>
            {
                var slot = (ISlot<TContext>)Activator.CreateInstance(serviceType)!;
                slot.Recording = recording;
                return slot;
            }, lifetime));
            return builder.SetServiceDescriptor(new ServiceDescriptor(serviceType, serviceType, lifetime)).Build();
        }
    }

    private static readonly Type[] SlotTypes =
        [typeof(S0), typeof(S1), typeof(S2), typeof(S3), typeof(S4), typeof(S5), typeof(S6), typeof(S7), typeof(S8), typeof(S9), typeof(S10), typeof(S11), typeof(S12), typeof(S13)];

    private sealed class S0; private sealed class S1; private sealed class S2; private sealed class S3; private sealed class S4;
    private sealed class S5; private sealed class S6; private sealed class S7; private sealed class S8; private sealed class S9;
    private sealed class S10; private sealed class S11; private sealed class S12; private sealed class S13;

    private interface ISlot<TContext> where TContext : BaseContext
    {
        Recording<TContext>? Recording { get; set; }
    }

    private sealed class Slot<TContext, TId> : ISlot<TContext>, IOpenIddictServerHandler<TContext> where TContext : BaseContext
    {
        public Recording<TContext>? Recording { get; set; }

        public ValueTask HandleAsync(TContext context) => Recording!.HandleAsync(context);
    }

    private sealed class Recording<TContext>(List<string> trace, string name, Outcome outcome) where TContext : BaseContext
    {
        public ValueTask HandleAsync(TContext context)
        {
            trace.Add(typeof(TContext).Name + "/" + name);
            var validating = (BaseValidatingContext)(object)context;
            switch (outcome)
            {
                case Outcome.Handle: validating.HandleRequest(); break;
                case Outcome.Skip: validating.SkipRequest(); break;
                case Outcome.Reject: validating.Reject(); break;
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class Passes : IOpenIddictServerHandlerFilter<BaseContext>
    {
        public ValueTask<bool> IsActiveAsync(BaseContext context) => ValueTask.FromResult(true);
    }

    private sealed class Blocks : IOpenIddictServerHandlerFilter<BaseContext>
    {
        public ValueTask<bool> IsActiveAsync(BaseContext context) => ValueTask.FromResult(false);
    }

    // These complete asynchronously: the dispatcher must await them, not read them.
    private sealed class PassesScoped : IOpenIddictServerHandlerFilter<BaseContext>
    {
        public async ValueTask<bool> IsActiveAsync(BaseContext context)
        {
            await Task.Yield();
            return true;
        }
    }

    private sealed class BlocksScoped : IOpenIddictServerHandlerFilter<BaseContext>
    {
        public async ValueTask<bool> IsActiveAsync(BaseContext context)
        {
            await Task.Yield();
            return false;
        }
    }
}
