namespace GodotTorrent.Trackers;

/// <summary>One announce as a tracker client sends it (BEP 3 for HTTP, BEP 15 for UDP).</summary>
internal sealed record AnnounceRequest
{
    /// <summary>The 20-byte info-hash (v1, or a v2 hash truncated as BEP 52 says).</summary>
    public required ReadOnlyMemory<byte> InfoHash { get; init; }

    /// <summary>The 20-byte peer id.</summary>
    public required ReadOnlyMemory<byte> PeerId { get; init; }

    /// <summary>The port peers can reach us on.</summary>
    public required int Port { get; init; }

    public TransferStats Stats { get; init; }

    public AnnounceEvent Event { get; init; }

    /// <summary>How many peers to ask for; 0 for <c>stopped</c>.</summary>
    public int NumWant { get; init; } = 200;

    /// <summary>A random number that identifies this client to the tracker across IP changes.</summary>
    public uint Key { get; init; }

    /// <summary>The <c>tracker id</c> the tracker gave earlier, echoed back (HTTP only).</summary>
    public string? TrackerId { get; init; }
}
