namespace GodotTorrent.Swarm;

/// <summary>
/// Block bookkeeping of one piece that has at least one block requested or received. Instances are
/// pooled by <see cref="PiecePicker"/> so starting a piece does not allocate in the steady state.
/// </summary>
internal sealed class DownloadingPiece
{
    public DownloadingPiece(int maxBlocks)
    {
        Requests = new byte[maxBlocks];
        Received = new bool[maxBlocks];
    }

    /// <summary>The piece index.</summary>
    public int Piece { get; private set; }

    /// <summary>Number of blocks in this piece.</summary>
    public int BlockCount { get; private set; }

    /// <summary>Per block: how many peers have an outstanding request for it (more than one only in end-game).</summary>
    public byte[] Requests { get; }

    /// <summary>Per block: whether its data arrived.</summary>
    public bool[] Received { get; }

    /// <summary>Blocks neither requested nor received.</summary>
    public int Free { get; set; }

    /// <summary>Blocks received.</summary>
    public int ReceivedCount { get; set; }

    /// <summary>Position in the picker's list of downloading pieces (for O(1) removal).</summary>
    public int ListIndex { get; set; }

    /// <summary>Readies a pooled instance for <paramref name="piece"/>.</summary>
    public void Reset(int piece, int blockCount)
    {
        Piece = piece;
        BlockCount = blockCount;
        Array.Clear(Requests, 0, blockCount);
        Array.Clear(Received, 0, blockCount);
        Free = blockCount;
        ReceivedCount = 0;
    }
}
