namespace GodotTorrent.Alerts;

/// <summary>
/// Something that happened in a session, delivered through <see cref="AlertManager"/>: polled
/// with <c>PopAlerts()</c> or pushed through events. Immutable.
/// </summary>
public abstract record Alert
{
    /// <summary>When it happened.</summary>
    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The stable snake_case name of the alert type, as in the original API (<c>torrent_finished</c>, <c>peer_connect</c>, ...).</summary>
    public abstract string TypeName { get; }

    /// <summary>The category the alert belongs to (one flag).</summary>
    public abstract AlertCategory Category { get; }

    /// <summary>The error, for alerts that report one; otherwise <see cref="ErrorCode.None"/>.</summary>
    public virtual ErrorCode ErrorCode => ErrorCode.None;

    /// <summary>A human-readable description.</summary>
    public abstract string Message { get; }

    /// <summary>The type name and message.</summary>
    public override string ToString() => $"{TypeName}: {Message}";
}
