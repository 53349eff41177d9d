namespace GodotTorrent.Swarm;

/// <summary>One block of a piece that failed its hash: its index in the piece, who sent it, and a digest of the bytes.</summary>
internal readonly record struct BlockEvidence(int Block, BlockSender Sender, ulong Digest);
