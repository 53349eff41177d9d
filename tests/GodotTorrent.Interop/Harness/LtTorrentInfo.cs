namespace GodotTorrent.Interop.Harness;

/// <summary>
/// lt_tool.py info: a .torrent as libtorrent 2.0 parses it. TotalSize includes pad files.
/// Trackers and WebSeeds are exactly as written in the file (libtorrent itself shuffles
/// trackers within a tier and appends '/' to multi-file web seeds). Comment, Creator
/// ("created by") and CreationDate are null when the key is absent. TopKeys and InfoKeys list
/// the raw dictionary keys, to explain why two info-hashes differ.
/// </summary>
public sealed record LtTorrentInfo(
    string Name,
    bool MultiFile,
    long TotalSize,
    int PieceLength,
    int NumPieces,
    string? InfoHashV1,
    string? InfoHashV2,
    IReadOnlyList<LtFileEntry> Files,
    IReadOnlyList<TrackerEntry> Trackers,
    IReadOnlyList<string> WebSeeds,
    bool Private,
    string? Comment,
    string? Creator,
    long? CreationDate,
    IReadOnlyList<string> TopKeys,
    IReadOnlyList<string> InfoKeys)
{
    /// <summary>The files that hold data (pad files left out).</summary>
    public IEnumerable<LtFileEntry> RealFiles => Files.Where(f => !f.Pad);
}
