namespace GodotTorrent.Storage;

/// <summary>Tuning of <see cref="FileStorage"/>.</summary>
public sealed record FileStorageOptions
{
    /// <summary>The defaults.</summary>
    public static FileStorageOptions Default { get; } = new();

    /// <summary>Most file handles kept open at once (least recently used ones are closed first).</summary>
    public int MaxOpenFiles { get; init; } = 64;

    /// <summary>
    /// How often a cached handle is checked against its path before a read, so a file deleted
    /// under a seeding torrent is reported as missing instead of served from the open handle.
    /// </summary>
    public TimeSpan HandleCheckInterval { get; init; } = TimeSpan.FromSeconds(1);
}
