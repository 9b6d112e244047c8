using System.Text;
using MtlsAuthServer.ServiceDefaults.Logging;
using Serilog;
using Serilog.Events;
using Serilog.Parsing;

namespace MtlsAuthServer.Specs.Diagnostics;

/// <summary>
/// Redirected console output is written a batch at a time (one flush for many lines), and must still be exactly the
/// lines the console formatter renders, in order, with nothing lost when the logger is disposed at shutdown.
/// </summary>
public sealed class BatchedConsoleLinesSpecs
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_batch_is_the_formatters_lines_in_order_written_in_one_flush(bool json)
    {
        var output = new RecordingStream();
        var formatter = StructuredLogging.ConsoleFormatter(json);
        var events = Enumerable.Range(1, 3).Select(i => Event($"token {i} issued to {{ClientId}}", ("ClientId", $"client-{i}"))).ToList();
        using var sink = new BatchedConsoleLines(formatter, output);

        await sink.EmitBatchAsync(events);

        var expected = new StringWriter();
        foreach (var logEvent in events)
        {
            formatter.Format(logEvent, expected);
        }

        Assert.Equal(expected.ToString(), output.Text);
        Assert.Equal(1, output.Writes); // one write for the whole batch, not one per line
        Assert.Equal(3, output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Every_event_logged_before_shutdown_reaches_the_output_in_order()
    {
        var output = new RecordingStream();
        var logger = new LoggerConfiguration()
            .WriteTo.Sink(new BatchedConsoleLines(StructuredLogging.ConsoleFormatter(json: false), output), BatchedConsoleLines.Batching)
            .CreateLogger();

        for (var i = 0; i < 2_500; i++)
        {
            logger.Information("event {Number}", i);
        }

        await logger.DisposeAsync(); // what the host does at shutdown

        var numbers = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => int.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, 2_500), numbers);
        Assert.True(output.Writes < 2_500 / 10, $"{output.Writes} writes for 2,500 events: lines are not batched");
    }

    private static LogEvent Event(string template, params (string Name, string Value)[] properties) =>
        new(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null, new MessageTemplateParser().Parse(template),
            properties.Select(p => new LogEventProperty(p.Name, new ScalarValue(p.Value))));

    /// <summary>Counts the writes that reach it, as the pipe behind stdout would see them.</summary>
    private sealed class RecordingStream : Stream
    {
        private readonly MemoryStream _bytes = new();

        public int Writes { get; private set; }

        public string Text => Encoding.UTF8.GetString(_bytes.ToArray());

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _bytes.Length;
        public override long Position { get => _bytes.Position; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            _bytes.Write(buffer);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
