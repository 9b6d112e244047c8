using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MtlsAuthServer.Diagnostics;
using MtlsAuthServer.HotReload;

namespace MtlsAuthServer.Tests.HotReload;

/// <summary>When a poll applies a change: after it held still for one more poll, and once per distinct content.</summary>
public sealed class PollingReloaderSpecs : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly ScriptedReloader _reloader;
    private readonly MetricCollector<long> _reloads;

    public PollingReloaderSpecs()
    {
        var meters = _services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        _reloads = new MetricCollector<long>(meters, AuthenticationMetrics.MeterName, ReloadMetrics.ReloadsName);
        _reloader = new ScriptedReloader(new ReloadMetrics(meters));
        _reloader.TakeBaseline();
    }

    [Fact]
    public async Task A_change_is_applied_once_it_has_held_still_for_one_more_poll()
    {
        await PollAsync();
        Assert.Equal(0, _reloader.Attempts);

        _reloader.Content = "B";
        await PollAsync();
        Assert.Equal(0, _reloader.Attempts);
        await PollAsync();
        Assert.Equal(1, _reloader.Attempts);

        await PollAsync();
        Assert.Equal(1, _reloader.Attempts);
        Assert.Equal("success", Assert.Single(_reloads.GetMeasurementSnapshot()).Tags["outcome"]);
    }

    [Fact]
    public async Task Content_still_changing_from_poll_to_poll_is_not_applied_until_it_settles()
    {
        _reloader.Content = "half-written";
        await PollAsync();
        _reloader.Content = "complete";
        await PollAsync();
        Assert.Equal(0, _reloader.Attempts);

        await PollAsync();
        Assert.Equal(1, _reloader.Attempts);
        Assert.Equal("complete", _reloader.Applied);
    }

    [Fact]
    public async Task A_rejected_content_is_tried_once_and_again_only_after_it_changes()
    {
        _reloader.Reject = true;
        _reloader.Content = "broken";
        await PollAsync();
        await PollAsync();
        Assert.Equal(1, _reloader.Attempts);

        await PollAsync();
        await PollAsync();
        Assert.Equal(1, _reloader.Attempts);
        Assert.Null(_reloader.Applied);

        _reloader.Reject = false;
        _reloader.Content = "fixed";
        await PollAsync();
        await PollAsync();
        Assert.Equal(2, _reloader.Attempts);
        Assert.Equal(["rejected", "success"], _reloads.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!));
    }

    [Fact]
    public async Task An_unexpected_failure_is_counted_as_rejected_and_does_not_stop_the_watcher()
    {
        _reloader.Crash = true;
        _reloader.Content = "B";
        await PollAsync();
        await PollAsync();

        _reloader.Crash = false;
        _reloader.Content = "C";
        await PollAsync();
        await PollAsync();

        Assert.Equal("C", _reloader.Applied);
        Assert.Equal(["rejected", "success"], _reloads.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!));
    }

    public void Dispose()
    {
        _reloader.Dispose();
        _reloads.Dispose();
        _services.Dispose();
    }

    private Task PollAsync() => _reloader.PollOnceAsync(CancellationToken.None);

    private sealed class ScriptedReloader(ReloadMetrics metrics)
        : PollingReloader(new FixedOptions(), TimeProvider.System, metrics, NullLogger.Instance)
    {
        public string Content { get; set; } = "A";

        public bool Reject { get; set; }

        public bool Crash { get; set; }

        public int Attempts { get; private set; }

        public string? Applied { get; private set; }

        protected override string Material => "test";

        protected override string Source => "memory";

        protected override string Fingerprint() => Content;

        protected override Task<string> ReloadAsync(CancellationToken cancellationToken)
        {
            Attempts++;
            if (Reject)
            {
                throw new ReloadRejectedException("scripted rejection");
            }

            if (Crash)
            {
                throw new InvalidOperationException("scripted crash");
            }

            Applied = Content;
            return Task.FromResult(Content);
        }
    }

    private sealed class FixedOptions : IOptionsMonitor<HotReloadOptions>
    {
        public HotReloadOptions CurrentValue { get; } = new();

        public HotReloadOptions Get(string? name) => CurrentValue;

        public IDisposable? OnChange(Action<HotReloadOptions, string?> listener) => null;
    }
}
