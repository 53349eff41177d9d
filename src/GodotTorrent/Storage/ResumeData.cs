using GodotTorrent.Metainfo;

namespace GodotTorrent.Storage;

/// <summary>
/// What a torrent needs to restart where it stopped without hashing everything again: the
/// pieces verified, the blocks of pieces in progress, priorities, renames, the files' sizes and
/// modification times (to tell when the files changed behind our back), counters, seeding goals, runtime
/// trackers and web seeds, and optionally the torrent itself so a magnet download restarts
/// without fetching metadata. Encoded by <see cref="ResumeDataSerializer"/> (format version
/// <see cref="CurrentVersion"/>), saved and validated by <see cref="ResumeDataStore"/>.
/// </summary>
public sealed record ResumeData
{
    /// <summary>The format version written by this library.</summary>
    public const int CurrentVersion = 1;

    /// <summary>The torrent's info-hashes; resume data of another torrent is rejected.</summary>
    public required InfoHashes InfoHashes { get; init; }

    /// <summary>The save folder.</summary>
    public required string SavePath { get; init; }

    /// <summary>The pieces verified (the have-bitfield), one bit per piece.</summary>
    public required Bitfield Pieces { get; init; }

    /// <summary>For pieces in progress, the 16 KiB blocks already written to storage (one bit per block).</summary>
    public IReadOnlyDictionary<int, Bitfield> PartialPieces { get; init; } = new Dictionary<int, Bitfield>();

    /// <summary>One priority per file (pad files included), or empty for all <see cref="Priority.Normal"/>.</summary>
    public IReadOnlyList<Priority> FilePriorities { get; init; } = [];

    /// <summary>One priority per piece, or empty for all <see cref="Priority.Normal"/>.</summary>
    public IReadOnlyList<Priority> PiecePriorities { get; init; } = [];

    /// <summary>Files renamed at run time: file index to path relative to the save folder ('/' separators).</summary>
    public IReadOnlyDictionary<int, string> RenamedFiles { get; init; } = new Dictionary<int, string>();

    /// <summary>
    /// Each file's state when the resume data was made (one per file, pad files included), taken
    /// after the storage was flushed: a file whose size or time differs on load is checked again.
    /// </summary>
    public IReadOnlyList<StorageFileState> Files { get; init; } = [];

    /// <summary>Bytes uploaded over the torrent's life.</summary>
    public long TotalUploaded { get; init; }

    /// <summary>Bytes downloaded over the torrent's life.</summary>
    public long TotalDownloaded { get; init; }

    /// <summary>Trackers added at run time, in tiers.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Trackers { get; init; } = [];

    /// <summary>Web seeds added at run time.</summary>
    public IReadOnlyList<string> WebSeeds { get; init; } = [];

    /// <summary>When the torrent was added (whole seconds are kept).</summary>
    public DateTimeOffset AddedTime { get; init; }

    /// <summary>When the torrent finished downloading (whole seconds are kept), or null.</summary>
    public DateTimeOffset? CompletedTime { get; init; }

    /// <summary>Time spent seeding (running and complete) over the torrent's life, in whole seconds; seeding goals count it.</summary>
    public TimeSpan SeedingTime { get; init; }

    /// <summary>The torrent's own share ratio limit in percent (see <see cref="Session.AddTorrentParams.ShareRatioLimit"/>), or null for the session's.</summary>
    public int? ShareRatioLimit { get; init; }

    /// <summary>The torrent's own seed time limit in whole seconds (see <see cref="Session.AddTorrentParams.SeedTimeLimit"/>), or null for the session's.</summary>
    public TimeSpan? SeedTimeLimit { get; init; }

    /// <summary>True when a seeding goal stopped the torrent; it is not checked again until new limits are set.</summary>
    public bool SeedGoalReached { get; init; }

    /// <summary>
    /// The torrent (its info dictionary and, for v2, its piece layers), so resume data alone can
    /// restart a download that began from a magnet link; null to leave it out.
    /// </summary>
    public TorrentInfo? Torrent { get; init; }
}
