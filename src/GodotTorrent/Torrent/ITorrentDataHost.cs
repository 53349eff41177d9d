using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Storage;

namespace GodotTorrent.Torrent;

/// <summary>What <see cref="TorrentData"/> needs back from its torrent: identity, state changes and the swarm's reactions to data events.</summary>
internal interface ITorrentDataHost
{
    TorrentInfo? Torrent { get; }

    TorrentHandle Handle { get; }

    InfoHashes InfoHashes { get; }

    string Name { get; }

    string SavePath { get; }

    DateTimeOffset AddedTime { get; }

    bool IsStopped { get; }

    /// <summary>Bytes moved this run, added to the resumed totals in resume data.</summary>
    (long Downloaded, long Uploaded) TransferredThisRun { get; }

    IReadOnlyList<string> GetWebSeeds();

    /// <summary>The seeding goals, whose state resume data keeps.</summary>
    SeedGoals SeedGoals { get; }

    /// <summary>Wraps the torrent's storage so the session counts its disk bytes.</summary>
    IPieceStorage CountDiskBytes(IPieceStorage storage);

    void SetState(TorrentState state);

    void Fail(ErrorCode code, string message, StorageException? storageError);

    /// <summary>The files are checked: the swarm (picker, interest, dialling) starts from <paramref name="have"/>.</summary>
    void BuildSwarmState(Bitfield have);

    /// <summary>The picker goes away before a writer is replaced (a recheck or a check after an error).</summary>
    void DropPicker();

    /// <summary>A piece passed its hash check and is counted as ours: the swarm tells peers, updates interest and settles smart-ban evidence.</summary>
    void OnPiecePassed(int piece, ulong[]? blockDigests);

    /// <summary>
    /// A piece failed its hash check: the picker fetches it again and smart ban keeps the evidence;
    /// a v2 piece with <paramref name="leafHashes"/> may first have its blocks checked one by one (BEP 52 block hashes).
    /// </summary>
    void OnPieceFailed(int piece, ulong[]? blockDigests, byte[]? leafHashes);

    /// <summary>Seeding, finished or downloading, decided again after pieces or priorities changed.</summary>
    void UpdateCompletionState(bool announce);

    /// <summary>The files now live under <paramref name="savePath"/>.</summary>
    void MovedTo(string savePath);

    /// <summary>Writing a piece failed on the disk: the picker forgets it before the torrent fails.</summary>
    void OnPieceWriteFailed(int piece);

    void CancelAllRequests();

    /// <summary>A fenced operation ended: peers get requests and uploads again.</summary>
    void FenceLifted();
}
