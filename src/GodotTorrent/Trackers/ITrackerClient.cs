namespace GodotTorrent.Trackers;

/// <summary>
/// Talks to one tracker. Implementations are safe to call from any thread; each failure is a
/// <see cref="TrackerException"/> (cancellation by the caller's token excepted).
/// </summary>
internal interface ITrackerClient : IDisposable
{
    /// <summary>The announce URL.</summary>
    Uri Uri { get; }

    /// <summary>Announces and returns the tracker's reply.</summary>
    /// <exception cref="TrackerException">The tracker refused, failed or sent something unusable.</exception>
    Task<AnnounceResponse> AnnounceAsync(AnnounceRequest request, CancellationToken cancellationToken);

    /// <summary>Asks the tracker for the swarm counts of one 20-byte info-hash.</summary>
    /// <exception cref="TrackerException">The tracker cannot scrape, refused, failed or sent something unusable.</exception>
    Task<ScrapeResponse> ScrapeAsync(ReadOnlyMemory<byte> infoHash, CancellationToken cancellationToken);
}
