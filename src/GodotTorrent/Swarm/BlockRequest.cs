namespace GodotTorrent.Swarm;

/// <summary>
/// One block of a piece, as a BEP 3 <c>request</c>, <c>piece</c> or <c>cancel</c> message names it:
/// piece index, byte offset inside the piece, length. Blocks are 16 KiB except the last of the torrent.
/// </summary>
/// <param name="Piece">The piece index.</param>
/// <param name="Offset">The byte offset inside the piece (a multiple of <see cref="BlockSize"/>).</param>
/// <param name="Length">The block length in bytes.</param>
internal readonly record struct BlockRequest(int Piece, int Offset, int Length)
{
    /// <summary>The block size every client uses (BEP 3 suggests 2^14; larger requests get peers dropped).</summary>
    public const int BlockSize = Wire.PeerWireLimits.DefaultBlockLength;

    /// <summary>The block's index inside its piece.</summary>
    public int BlockIndex => Offset / BlockSize;
}
