namespace GodotTorrent.Storage;

/// <summary>What a <see cref="TorrentChecker"/> found: the have-bitfield and each file's completion.</summary>
public sealed class TorrentCheckResult
{
    internal TorrentCheckResult(Bitfield pieces, int piecesChecked, IReadOnlyList<FileCheckResult> files)
    {
        Pieces = pieces;
        PiecesChecked = piecesChecked;
        Files = files;
    }

    /// <summary>The valid pieces (a piece that was not part of the check is clear). A copy is the caller's to keep.</summary>
    public Bitfield Pieces { get; }

    /// <summary>Number of valid pieces.</summary>
    public int ValidPieces => Pieces.SetCount;

    /// <summary>Number of pieces in the torrent.</summary>
    public int TotalPieces => Pieces.Count;

    /// <summary>Number of pieces this check hashed (all of them for a full check).</summary>
    public int PiecesChecked { get; }

    /// <summary>Every file of the torrent except pad files, in torrent order, with the bytes found valid.</summary>
    public IReadOnlyList<FileCheckResult> Files { get; }

    /// <summary>True when every piece is valid.</summary>
    public bool IsComplete => Pieces.AllSet;

    /// <summary>
    /// True when every piece holding bytes of a wanted file (priority other than
    /// <see cref="Priority.Skip"/>) is valid. <paramref name="filePriorities"/> has one entry per
    /// file of the torrent, pad files included; null means every file is wanted.
    /// </summary>
    public bool AreWantedPiecesValid(IReadOnlyList<Priority>? filePriorities = null)
    {
        if (filePriorities is null)
        {
            return IsComplete;
        }

        foreach (var file in Files)
        {
            if (file.FileIndex < filePriorities.Count && filePriorities[file.FileIndex] != Priority.Skip && !file.IsComplete)
            {
                return false;
            }
        }

        return true;
    }
}
