namespace GodotTorrent.Interop.Harness;

/// <summary>
/// A finished download by a real client. Elapsed counts from the client's start (for
/// Transmission: from adding the torrent); FirstByte is null when the client does not report it.
/// </summary>
public sealed record PeerTransferResult(TimeSpan Elapsed, TimeSpan? FirstByte, long Bytes)
{
    /// <summary>MB/s (10^6 bytes) over the time after the first byte, or over all of Elapsed without one.</summary>
    public double MegabytesPerSecond
    {
        get
        {
            var seconds = (Elapsed - (FirstByte ?? TimeSpan.Zero)).TotalSeconds;
            return seconds <= 0 ? double.PositiveInfinity : Bytes / seconds / 1e6;
        }
    }
}
