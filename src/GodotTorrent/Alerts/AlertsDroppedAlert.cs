namespace GodotTorrent.Alerts;

/// <summary>The alert queue was full and older alerts were dropped to keep memory bounded.</summary>
public sealed record AlertsDroppedAlert(int DroppedCount, IReadOnlyDictionary<string, int> DroppedByType) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "alerts_dropped";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Error;

    /// <inheritdoc/>
    public override string Message => $"{DroppedCount} alerts dropped because the queue was full ({string.Join(", ", DroppedByType.Select(p => $"{p.Key}: {p.Value}"))})";
}
