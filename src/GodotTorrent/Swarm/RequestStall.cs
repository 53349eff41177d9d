namespace GodotTorrent.Swarm;

/// <summary>Why <see cref="RequestScheduler.Refill"/> stopped before the source's queue was full.</summary>
internal enum RequestStall
{
    /// <summary>Nothing held it back: the queue is full, or the picker had nothing more.</summary>
    None,

    /// <summary>The disk buffer has no room for more blocks: the disk is slower than the swarm.</summary>
    DiskBuffer,

    /// <summary>The download rate limit has no allowance left for now.</summary>
    RateLimit,
}
