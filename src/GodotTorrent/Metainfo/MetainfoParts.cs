namespace GodotTorrent.Metainfo;

/// <summary>What the parser hands to <see cref="TorrentInfo"/>'s constructor.</summary>
internal sealed class MetainfoParts
{
    public required byte[] InfoBytes { get; init; }
    public required InfoHashes InfoHashes { get; init; }
    public required string Name { get; init; }
    public required string OriginalName { get; init; }
    public required IReadOnlyList<FileEntry> Files { get; init; }
    public required bool IsMultiFile { get; init; }
    public required int PieceLength { get; init; }
    public required int PieceCount { get; init; }
    public required long PieceSpaceSize { get; init; }
    public required TorrentVersion Version { get; init; }
    public required byte[] PieceHashes { get; init; }
    public required IReadOnlyDictionary<int, byte[]> PieceLayers { get; init; }
    public required bool HasPieceLayers { get; init; }
    public bool IsPrivate { get; init; }
    public string? Source { get; init; }
    public IReadOnlyList<IReadOnlyList<string>> Trackers { get; set; } = [];
    public IReadOnlyList<string> WebSeeds { get; set; } = [];
    public string? Comment { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset? CreationDate { get; set; }
}
