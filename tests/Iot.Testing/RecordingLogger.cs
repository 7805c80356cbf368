using System.Collections.Concurrent;

using Microsoft.Extensions.Logging;

namespace Iot.Testing;

/// <summary>An ILogger that keeps every formatted message, for tests that check what was logged.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> entries = new();

    /// <summary>What was logged so far, in order.</summary>
    public IReadOnlyList<(LogLevel Level, string Message, Exception? Exception)> Entries => [.. entries];

    /// <summary>The formatted messages logged so far.</summary>
    public IReadOnlyList<string> Messages => [.. entries.Select(e => e.Message)];

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
