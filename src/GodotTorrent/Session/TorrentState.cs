namespace GodotTorrent.Session;

/// <summary>What a torrent is doing (pausing is a separate flag, as in libtorrent).</summary>
public enum TorrentState
{
    /// <summary>Waiting for its turn to check files.</summary>
    QueuedForChecking = 0,
    /// <summary>Hashing the data on disk to find which pieces are valid.</summary>
    CheckingFiles = 1,
    /// <summary>A magnet: fetching the info dictionary from peers.</summary>
    DownloadingMetadata = 2,
    /// <summary>Downloading wanted pieces.</summary>
    Downloading = 3,
    /// <summary>Every wanted piece is verified, but not every piece is wanted (some files skipped).</summary>
    Finished = 4,
    /// <summary>Every piece is verified; uploading only.</summary>
    Seeding = 5,
    /// <summary>Validating resume data against the files.</summary>
    CheckingResumeData = 6,
    /// <summary>Stopped by an error (disk full, file missing, ...); see <see cref="TorrentStatus.Error"/>.</summary>
    Error = 7,
}
