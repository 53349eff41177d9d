namespace GodotTorrent.Storage;

/// <summary>
/// What <see cref="ResumeDataStore"/> concluded from resume data and the files on disk: the
/// pieces it can trust, the pieces to hash again, and why.
/// </summary>
public sealed class ResumeValidation
{
    internal ResumeValidation(ResumeData? data, Bitfield trusted, Bitfield toCheck, IReadOnlyDictionary<int, Bitfield> partial, bool fullCheck, ErrorCode error, IReadOnlyList<string> reasons)
    {
        Data = data;
        TrustedPieces = trusted;
        PiecesToCheck = toCheck;
        PartialPieces = partial;
        FullCheckRequired = fullCheck;
        Error = error;
        Reasons = reasons;
    }

    /// <summary>The decoded resume data, or null when there was none or it was unreadable.</summary>
    public ResumeData? Data { get; }

    /// <summary>Pieces to treat as verified without hashing.</summary>
    public Bitfield TrustedPieces { get; }

    /// <summary>Pieces to hash before use (all of them after <see cref="FullCheckRequired"/>), e.g. with <see cref="TorrentChecker.CheckPiecesAsync"/>.</summary>
    public Bitfield PiecesToCheck { get; }

    /// <summary>Blocks of pieces in progress that can be kept (those of changed files are dropped).</summary>
    public IReadOnlyDictionary<int, Bitfield> PartialPieces { get; }

    /// <summary>True when the resume data was missing, corrupt or of another torrent: nothing is trusted.</summary>
    public bool FullCheckRequired { get; }

    /// <summary>Why the resume data was rejected (for the alert), or <see cref="ErrorCode.None"/>.</summary>
    public ErrorCode Error { get; }

    /// <summary>Human-readable reasons for every piece not trusted (rejected data, changed files).</summary>
    public IReadOnlyList<string> Reasons { get; }
}
