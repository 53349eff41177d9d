namespace GodotTorrent.Peers.Protocol;

/// <summary>
/// Requested blocks of one piece that follow each other, served with one disk read and one send:
/// every block is <see cref="BlockLength"/> bytes except perhaps the last, which may be shorter.
/// </summary>
internal readonly record struct UploadRun(int Piece, int Offset, int BlockLength, int Length, int Count)
{
    /// <summary>The first block of a run.</summary>
    public static UploadRun Start(Swarm.BlockRequest block) => new(block.Piece, block.Offset, block.Length, block.Length, 1);

    /// <summary>True when <paramref name="block"/> continues the run without breaking its shape.</summary>
    public bool CanExtend(Swarm.BlockRequest block) =>
        block.Piece == Piece && block.Offset == Offset + Length && Length == Count * BlockLength && block.Length <= BlockLength;

    /// <summary>The run with <paramref name="block"/> appended (see <see cref="CanExtend"/>).</summary>
    public UploadRun Extend(Swarm.BlockRequest block) => this with { Length = Length + block.Length, Count = Count + 1 };
}
