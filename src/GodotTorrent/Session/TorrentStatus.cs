using GodotTorrent.Metainfo;

namespace GodotTorrent.Session;

/// <summary>An immutable snapshot of a torrent's progress, rates and swarm, taken on the engine loop.</summary>
public sealed record TorrentStatus
{
    /// <summary>The torrent's info-hashes.</summary>
    public required InfoHashes InfoHashes { get; init; }

    /// <summary>The torrent's name (from the metadata, the magnet's <c>dn</c>, or the hash).</summary>
    public required string Name { get; init; }

    /// <summary>What the torrent is doing.</summary>
    public required TorrentState State { get; init; }

    /// <summary>The state as the original API's strings: <c>checking_files</c>, <c>downloading</c>, <c>seeding</c>, ...</summary>
    public string StateName => StateNameOf(State);

    /// <summary>The original API's string for a state (<c>downloading</c>, <c>seeding</c>, ...).</summary>
    public static string StateNameOf(TorrentState state) => state switch
    {
        TorrentState.QueuedForChecking => "queued_for_checking",
        TorrentState.CheckingFiles => "checking_files",
        TorrentState.DownloadingMetadata => "downloading_metadata",
        TorrentState.Downloading => "downloading",
        TorrentState.Finished => "finished",
        TorrentState.Seeding => "seeding",
        TorrentState.CheckingResumeData => "checking_resume_data",
        _ => "error",
    };

    /// <summary>True while paused by the app (a torrent held back by the queue is <see cref="IsQueued"/> instead).</summary>
    public bool IsPaused { get; init; }

    /// <summary>True while the session's queue holds this auto-managed torrent back, waiting for a slot.</summary>
    public bool IsQueued { get; init; }

    /// <summary>True when the session's queue starts and stops the torrent.</summary>
    public bool AutoManaged { get; init; }

    /// <summary>The torrent's place in the session's queue (0 = first), or -1 once removed.</summary>
    public int QueuePosition { get; init; } = -1;

    /// <summary>The folder the files are saved in.</summary>
    public required string SavePath { get; init; }

    /// <summary>True once the info dictionary is known.</summary>
    public bool HasMetadata { get; init; }

    /// <summary>Fraction of wanted bytes verified, 0 to 1 (during checking: fraction checked).</summary>
    public double Progress { get; init; }

    /// <summary>Bytes of verified pieces (all files).</summary>
    public long TotalDone { get; init; }

    /// <summary>Bytes of verified pieces that belong to wanted files.</summary>
    public long TotalWantedDone { get; init; }

    /// <summary>Bytes of wanted files.</summary>
    public long TotalWanted { get; init; }

    /// <summary>Size of the whole torrent (pad files excluded).</summary>
    public long TotalSize { get; init; }

    /// <summary>Payload bytes received this session (whole blocks, duplicates included).</summary>
    public long TotalPayloadDownload { get; init; }

    /// <summary>Payload bytes sent this session.</summary>
    public long TotalPayloadUpload { get; init; }

    /// <summary>All bytes received this session, protocol overhead included.</summary>
    public long TotalDownload { get; init; }

    /// <summary>All bytes sent this session, protocol overhead included.</summary>
    public long TotalUpload { get; init; }

    /// <summary>Payload bytes received over the torrent's lifetime (kept in resume data).</summary>
    public long AllTimeDownload { get; init; }

    /// <summary>Payload bytes sent over the torrent's lifetime (kept in resume data).</summary>
    public long AllTimeUpload { get; init; }

    /// <summary>Bytes of blocks that failed their piece's hash check.</summary>
    public long TotalFailedBytes { get; init; }

    /// <summary>Bytes of blocks received that were already downloaded.</summary>
    public long TotalRedundantBytes { get; init; }

    /// <summary>Payload bytes received from web seeds (BEP 19) this session, part of <see cref="TotalPayloadDownload"/>.</summary>
    public long WebSeedBytesDownloaded { get; init; }

    /// <summary>Payload download rate in bytes per second.</summary>
    public long DownloadRate { get; init; }

    /// <summary>Payload upload rate in bytes per second.</summary>
    public long UploadRate { get; init; }

    /// <summary>Connected peers.</summary>
    public int PeerCount { get; init; }

    /// <summary>Connected peers that have every piece.</summary>
    public int SeedCount { get; init; }

    /// <summary>Peers known (connected or not).</summary>
    public int KnownPeerCount { get; init; }

    /// <summary>Known peers that had every piece when last seen, connected or not (libtorrent's list_seeds).</summary>
    public int KnownSeedCount { get; init; }

    /// <summary>Known peers we could dial now: not connected, not banned, not waiting to retry.</summary>
    public int ConnectCandidates { get; init; }

    /// <summary>How long the torrent has been running (not paused or queued) in this session.</summary>
    public TimeSpan ActiveTime { get; init; }

    /// <summary>How long the torrent has been seeding in this session.</summary>
    public TimeSpan SeedingTime { get; init; }

    /// <summary>Time since piece data last arrived, or null when none has.</summary>
    public TimeSpan? TimeSinceDownload { get; init; }

    /// <summary>Time since piece data was last sent, or null when none has been.</summary>
    public TimeSpan? TimeSinceUpload { get; init; }

    /// <summary>The request size: 16 KiB, as every current client uses.</summary>
    public int BlockSize { get; init; } = Wire.PeerWireLimits.DefaultBlockLength;

    /// <summary>Pieces partly downloaded (some blocks received, not yet verified).</summary>
    public int PiecesInProgress { get; init; }

    /// <summary>Number of verified pieces.</summary>
    public int PiecesDone { get; init; }

    /// <summary>Number of pieces in the torrent (0 without metadata).</summary>
    public int PieceCount { get; init; }

    /// <summary>The have-bitfield (a copy); empty without metadata.</summary>
    public Bitfield Pieces { get; init; } = new(0);

    /// <summary>
    /// Distributed copies among connected peers: how many full copies the swarm we see holds
    /// (the integer part is the rarest piece's count, the fraction how many pieces exceed it).
    /// </summary>
    public double DistributedCopies { get; init; }

    /// <summary>Estimated time until the wanted data is complete; null when not downloading or unknown.</summary>
    public TimeSpan? Eta { get; init; }

    /// <summary>True when every wanted piece is verified.</summary>
    public bool IsFinished { get; init; }

    /// <summary>True when every piece is verified.</summary>
    public bool IsSeeding { get; init; }

    /// <summary>True when pieces are picked in order (for streaming).</summary>
    public bool SequentialDownload { get; init; }

    /// <summary>The error that stopped the torrent, or <see cref="ErrorCode.None"/>.</summary>
    public ErrorCode Error { get; init; }

    /// <summary>The error's description, or null.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>When the torrent was added.</summary>
    public DateTimeOffset AddedTime { get; init; }

    /// <summary>When every wanted piece was first verified, or null.</summary>
    public DateTimeOffset? CompletedTime { get; init; }

    /// <summary>True in upload-only mode (<see cref="TorrentHandle.SetUploadOnlyAsync"/>): nothing new is requested, verified pieces are still served.</summary>
    public bool UploadOnly { get; init; }
}
