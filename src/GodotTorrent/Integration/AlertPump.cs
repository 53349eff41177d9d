using GodotTorrent.Alerts;

namespace GodotTorrent.Integration;

/// <summary>
/// Turns a session's alerts into signals a bounded number at a time, so a burst of alerts
/// (thousands of peer events) is spread over several frames instead of stalling one. Alerts are
/// taken from the <see cref="AlertManager"/> only when the pump's own backlog is short, so memory
/// stays bounded by the manager's capacity (which drops the oldest and reports it).
/// Not thread-safe: call it from one thread (Godot's main thread, once per frame).
/// </summary>
public sealed class AlertPump
{
    private readonly AlertManager _alerts;
    private readonly AlertSignalMap _map;
    private readonly Queue<Alert> _backlog = new();

    /// <summary>Creates a pump over <paramref name="alerts"/> with <paramref name="map"/> (default: <see cref="AlertSignalMap.CreateDefault"/>).</summary>
    public AlertPump(AlertManager alerts, AlertSignalMap? map = null)
    {
        ArgumentNullException.ThrowIfNull(alerts);
        _alerts = alerts;
        _map = map ?? AlertSignalMap.CreateDefault();
    }

    /// <summary>Alerts taken from the manager and not yet pumped.</summary>
    public int Backlog => _backlog.Count;

    /// <summary>
    /// Handles at most <paramref name="maxAlerts"/> alerts, oldest first: each goes to
    /// <paramref name="onAlert"/> (when given) and, when the map has an entry for it, its signal
    /// to <paramref name="emit"/>. Returns how many alerts were handled.
    /// </summary>
    public int Pump(int maxAlerts, Action<AlertSignal> emit, Action<Alert>? onAlert = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAlerts, 1);
        ArgumentNullException.ThrowIfNull(emit);
        if (_backlog.Count < maxAlerts)
        {
            foreach (var alert in _alerts.PopAlerts())
            {
                _backlog.Enqueue(alert);
            }
        }

        int handled = 0;
        while (handled < maxAlerts && _backlog.TryDequeue(out var alert))
        {
            handled++;
            onAlert?.Invoke(alert);
            if (_map.Map(alert) is { } signal)
            {
                emit(signal);
            }
        }

        return handled;
    }

    /// <summary>Forgets alerts taken but not yet pumped (for example when the session stops).</summary>
    public void Clear() => _backlog.Clear();
}
