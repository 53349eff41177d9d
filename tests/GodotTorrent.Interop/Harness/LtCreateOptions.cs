namespace GodotTorrent.Interop.Harness;

/// <summary>
/// lt_tool.py create. Path is a file or folder (the torrent's name is its last component).
/// PieceSize 0 lets libtorrent choose. By default libtorrent writes a "creation date" and no
/// "created by"; NoDate and Creator make the output reproducible. WritePrivateZero writes
/// "private": 0 into the info dict of a non-private torrent, as transmission-create does.
/// FileOrder picks the order of a folder's files (see <see cref="LtFileOrder"/>).
/// </summary>
public sealed record LtCreateOptions(string Path, string OutputPath)
{
    public int PieceSize { get; init; }

    public LtVersion Version { get; init; } = LtVersion.V1;

    public IReadOnlyList<TrackerEntry> Trackers { get; init; } = [];

    public IReadOnlyList<string> WebSeeds { get; init; } = [];

    public bool Private { get; init; }

    public string? Comment { get; init; }

    public string? Creator { get; init; }

    public bool NoDate { get; init; }

    public bool WritePrivateZero { get; init; }

    public LtFileOrder FileOrder { get; init; }
}
