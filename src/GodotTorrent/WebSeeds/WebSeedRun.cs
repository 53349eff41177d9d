using GodotTorrent.Swarm;

namespace GodotTorrent.WebSeeds;

/// <summary>
/// One fetch from a web seed: contiguous blocks of the torrent's piece space (possibly across
/// pieces and files) and the HTTP ranges that carry them, fetched one after the other.
/// </summary>
/// <param name="Blocks">The blocks, in piece-space order, each starting where the one before ends.</param>
/// <param name="Segments">The ranges and zero-filled parts covering exactly the blocks' bytes.</param>
internal sealed record WebSeedRun(IReadOnlyList<BlockRequest> Blocks, IReadOnlyList<WebSeedSegment> Segments);
