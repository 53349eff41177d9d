using Microsoft.Extensions.Logging;

namespace GodotTorrent.Tests.Simulation;

/// <summary>Keeps the log lines of every simulated session, stamped with virtual time, for failure messages.</summary>
internal sealed class SimLog(SimClock clock, LogLevel minimum) : ILoggerFactory, ILogger
{
    public List<string> Lines { get; } = [];

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            lock (Lines)
            {
                Lines.Add($"{clock.Elapsed} {logLevel} {formatter(state, exception)} {exception?.GetType().Name} {exception?.Message}");
            }
        }
    }

    public void Dispose()
    {
    }
}
