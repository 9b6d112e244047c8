using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
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

    private sealed record Handler(int Order, bool ForTokenRequest, Type[] Filters, Outcome Outcome, bool Resolved);

    private static readonly Gen<Handler> Handlers =
        from order in Gen.Int[-5, 5]
        from forTokenRequest in Gen.Bool
        from filters in Gen.OneOf(Gen.Const(typeof(Passes)), Gen.Const(typeof(Blocks))).Array[0, 2]
        from outcome in Gen.Frequency((6, Gen.Const(Outcome.Continue)), (1, Gen.Const(Outcome.Handle)), (1, Gen.Const(Outcome.Skip)), (1, Gen.Const(Outcome.Reject)))
        from resolved in Gen.Bool
        select new Handler(order, forTokenRequest, filters, outcome, resolved);

    [Fact]
    public async Task Runs_the_same_handlers_in_the_same_order_as_OpenIddicts_dispatcher_for_any_handler_list()
    {
        await Handlers.Array[0, 14].SampleAsync(async handlers =>
        {
            var pipeline = new Pipeline(handlers);
            foreach (var dispatchTokenRequest in (bool[])[false, true])
            {
                var expected = await pipeline.RunAsync(provider => new OpenIddictServerDispatcher(
                    NullLogger<OpenIddictServerDispatcher>.Instance, provider.GetRequiredService<IOptionsMonitor<OpenIddictServerOptions>>(), provider), dispatchTokenRequest);
                var actual = await pipeline.RunAsync(provider => new IndexedServerDispatcher(
                    provider.GetRequiredService<EventHandlerIndex>(), provider, NullLogger<IndexedServerDispatcher>.Instance), dispatchTokenRequest);
                Assert.Equal(expected, actual);
            }
        }, iter: 2_000, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public async Task Follows_the_options_when_they_are_rebuilt_with_other_handlers()
    {
        var trace = new List<string>();
        var monitor = new SwitchableOptions(Options(trace, "first"));
        var index = new EventHandlerIndex(monitor);
        var dispatcher = new IndexedServerDispatcher(index, new ServiceCollection().BuildServiceProvider(), NullLogger<IndexedServerDispatcher>.Instance);

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
        var dispatcher = new IndexedServerDispatcher(new EventHandlerIndex(new SwitchableOptions(options)),
            new ServiceCollection().BuildServiceProvider(), NullLogger<IndexedServerDispatcher>.Instance);

        await Assert.ThrowsAsync<InvalidOperationException>(() => dispatcher.DispatchAsync(new ProcessRequestContext(new OpenIddictServerTransaction())).AsTask());
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
    private sealed class Pipeline
    {
        private readonly List<string> _trace = [];
        private readonly ServiceCollection _services = new();

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
            _services.AddSingleton<IOptionsMonitor<OpenIddictServerOptions>>(new SwitchableOptions(options));
            _services.AddSingleton<EventHandlerIndex>();
            _services.AddSingleton<Passes>();
            _services.AddSingleton<Blocks>();
        }

        public async Task<List<string>> RunAsync(Func<IServiceProvider, IOpenIddictServerDispatcher> dispatcherOf, bool dispatchTokenRequest)
        {
            _trace.Clear();
            await using var provider = _services.BuildServiceProvider();
            await using var scope = provider.CreateAsyncScope();
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
                builder = filter == typeof(Passes) ? builder.AddFilter<Passes>() : builder.AddFilter<Blocks>();
            }

            var recording = new Recording<TContext>(_trace, $"{id}:{handler.Outcome}", handler.Outcome);
            if (!handler.Resolved)
            {
                return builder.UseInlineHandler(recording.HandleAsync).Build();
            }

            // Resolved from the container, as OpenIddict's scoped and singleton handlers are: each its own service type.
            var serviceType = typeof(Slot<,>).MakeGenericType(typeof(TContext), SlotTypes[id]);
            var slot = (ISlot<TContext>)Activator.CreateInstance(serviceType)!;
            slot.Recording = recording;
            _services.AddSingleton(serviceType, slot);
            return builder.SetServiceDescriptor(new ServiceDescriptor(serviceType, serviceType, ServiceLifetime.Singleton)).Build();
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

    private sealed class SwitchableOptions(OpenIddictServerOptions current) : IOptionsMonitor<OpenIddictServerOptions>
    {
        public OpenIddictServerOptions Current { get; set; } = current;

        public OpenIddictServerOptions CurrentValue => Current;

        public OpenIddictServerOptions Get(string? name) => Current;

        public IDisposable? OnChange(Action<OpenIddictServerOptions, string?> listener) => null;
    }
}
