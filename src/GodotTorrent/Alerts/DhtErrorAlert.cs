namespace GodotTorrent.Alerts;

/// <summary>The DHT failed (posted once the DHT exists; DHT is a later step).</summary>
public sealed record DhtErrorAlert(ErrorCode Error, string Reason) : Alert
{
    /// <inheritdoc/>
    public override string TypeName => "dht_error";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Dht;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => $"DHT error: {Reason}";
}
