namespace GodotTorrent.Interop.Harness;

/// <summary>lt_tool.py recheck: the have-bitfield after a full check, as '0'/'1' per piece.</summary>
public sealed record LtRecheckResult(string Pieces, int NumPieces, string State)
{
    /// <summary>Indexes of the pieces libtorrent does not have.</summary>
    public IReadOnlyList<int> MissingPieces =>
        Enumerable.Range(0, Pieces.Length).Where(i => Pieces[i] == '0').ToArray();

    public bool IsComplete => Pieces.Length == NumPieces && !Pieces.Contains('0', StringComparison.Ordinal);
}
