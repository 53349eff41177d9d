using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Torrent;

/// <summary>The torrent state <see cref="TorrentStatusBuilder"/> reads that changes over the torrent's life. Engine loop only.</summary>
internal interface ITorrentStatusSource
{
    /// <summary>The pieces of the last snapshot, shared by the next one while they have not changed.</summary>
    Bitfield? LastPieces { get; }

    InfoHashes InfoHashes { get; }

    string Name { get; }

    string SavePath { get; }

    DateTimeOffset AddedTime { get; }

    DateTimeOffset? CompletedTime { get; }

    /// <summary>The metadata; null for a magnet link until it is fetched.</summary>
    TorrentInfo? Torrent { get; }

    /// <summary>The resume data the torrent was added with, whose totals carry over.</summary>
    ResumeData? InitialResumeData { get; }

    bool IsQueued { get; }

    bool AutoManaged { get; }

    int QueuePosition { get; }

    bool IsSequential { get; }

    bool UploadOnly { get; }

    /// <summary>Bytes done, bytes wanted (by file priority) and wanted bytes done.</summary>
    TorrentProgress Progress { get; }

    /// <summary>The pieces we have.</summary>
    Bitfield Pieces { get; }

    int PiecesInProgress { get; }

    /// <summary>The swarm's distributed copies; 0 before the picker exists.</summary>
    double DistributedCopies { get; }

    long WireDownloadTotal { get; }

    long WireUploadTotal { get; }

    long FailedBytes { get; }

    long RedundantBytes { get; }

    /// <summary>Payload bytes from web seeds this session.</summary>
    long WebSeedBytes { get; }
}
