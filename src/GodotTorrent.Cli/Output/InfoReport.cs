namespace GodotTorrent.Cli.Output;

/// <summary>
/// What <c>gdtorrent info</c> reports, for a .torrent file or a magnet link. Serialised as JSON
/// with snake_case names (see <see cref="CliJsonContext"/>); a field a magnet link cannot know
/// (pieces, files, ...) is null, never missing, so the shape of the JSON is always the same.
/// </summary>
internal sealed record InfoReport
{
    /// <summary><c>torrent</c> or <c>magnet</c>: what the report was made from.</summary>
    public required string Kind { get; init; }

    /// <summary>The sanitised name (torrent) or the display name (magnet, may be null).</summary>
    public required string? Name { get; init; }

    /// <summary>The v1 (SHA-1) info-hash in lower-case hex, or null.</summary>
    public required string? InfoHashV1 { get; init; }

    /// <summary>The v2 (SHA-256) info-hash in lower-case hex, or null.</summary>
    public required string? InfoHashV2 { get; init; }

    /// <summary><c>v1</c>, <c>v2</c> or <c>hybrid</c>.</summary>
    public required string Version { get; init; }

    /// <summary>Bytes of content, pad files excluded (a magnet's <c>xl</c>, or null).</summary>
    public required long? TotalSize { get; init; }

    /// <summary>Bytes per piece, or null for a magnet.</summary>
    public required int? PieceLength { get; init; }

    /// <summary>Number of pieces, or null for a magnet.</summary>
    public required int? PieceCount { get; init; }

    /// <summary>BEP 27 private flag, or null for a magnet.</summary>
    public required bool? Private { get; init; }

    /// <summary>The <c>source</c> field, or null.</summary>
    public required string? Source { get; init; }

    /// <summary>The comment, or null.</summary>
    public required string? Comment { get; init; }

    /// <summary>The creating program, or null.</summary>
    public required string? CreatedBy { get; init; }

    /// <summary>The creation date, or null.</summary>
    public required DateTimeOffset? CreationDate { get; init; }

    /// <summary>Every file in piece order, pad files included (flagged), or null for a magnet.</summary>
    public required IReadOnlyList<InfoFileReport>? Files { get; init; }

    /// <summary>Tracker URLs in tiers; a magnet's trackers form one tier each.</summary>
    public required IReadOnlyList<IReadOnlyList<string>> Trackers { get; init; }

    /// <summary>Web seed URLs.</summary>
    public required IReadOnlyList<string> WebSeeds { get; init; }

    /// <summary>The magnet link of the torrent.</summary>
    public required string Magnet { get; init; }
}
