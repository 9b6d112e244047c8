using System.Text;
using Serilog.Configuration;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace MtlsAuthServer.ServiceDefaults.Logging;

/// <summary>
/// Console output when it goes to a pipe or a file (containers, systemd, a log shipper): the lines of a batch of
/// events are formatted into one buffer and written with one flush. The console sink writes and flushes every event
/// alone, which at the default level (an audit line and a request line per token) cost two write system calls per
/// token. The text is what the console sink writes to a redirected output (<see cref="StructuredLogging.ConsoleFormatter"/>).
/// </summary>
public sealed class BatchedConsoleLines(ITextFormatter formatter, Stream output) : IBatchedLogEventSink, IDisposable
{
    /// <summary>
    /// Events wait at most this long for their batch: short enough for someone tailing the log, long enough that a
    /// busy server writes a few dozen times a second instead of once per event.
    /// </summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(50);

    /// <summary>As the asynchronous sink a terminal gets: past this many waiting events new ones are dropped, memory is bounded.</summary>
    public const int QueueLimit = 10_000;

    private readonly StreamWriter _writer = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 64 * 1024)
    {
        AutoFlush = false,
    };

    public static BatchingOptions Batching => new()
    {
        BatchSizeLimit = 1000,
        BufferingTimeLimit = MaxDelay,
        EagerlyEmitFirstEvent = true,
        QueueLimit = QueueLimit,
    };

    public async Task EmitBatchAsync(IReadOnlyCollection<LogEvent> batch)
    {
        foreach (var logEvent in batch)
        {
            formatter.Format(logEvent, _writer);
        }

        await _writer.FlushAsync();
    }

    public Task OnEmptyBatchAsync() => Task.CompletedTask;

    public void Dispose() => _writer.Dispose();
}
