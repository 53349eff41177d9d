namespace GodotTorrent.Storage;

/// <summary>How far a <see cref="TorrentChecker"/> has got; reported after each piece, never going backwards.</summary>
/// <param name="PiecesChecked">Pieces hashed (or found missing) so far.</param>
/// <param name="PiecesToCheck">Pieces this check covers.</param>
/// <param name="ValidPieces">Pieces found valid so far.</param>
/// <param name="BytesChecked">Bytes of the checked pieces.</param>
/// <param name="BytesToCheck">Bytes of all the pieces this check covers.</param>
public readonly record struct CheckProgress(int PiecesChecked, int PiecesToCheck, int ValidPieces, long BytesChecked, long BytesToCheck)
{
    /// <summary>The fraction done, 0 to 1.</summary>
    public double Fraction => PiecesToCheck == 0 ? 1 : (double)PiecesChecked / PiecesToCheck;
}
