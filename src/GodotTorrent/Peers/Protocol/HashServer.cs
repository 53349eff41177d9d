using GodotTorrent.Metainfo;
using GodotTorrent.Wire;

namespace GodotTorrent.Peers.Protocol;

/// <summary>
/// Answers BEP 52 hash requests from one torrent's piece layers (from the .torrent, resume data or
/// fetched from peers): hashes at the piece layer with their uncle hashes, a reject for anything
/// else (block layers, which we do not keep; unknown roots; layers we lack), and a reject beyond
/// <see cref="MaxRequestsPerPeer"/> requests a peer makes in one <see cref="Window"/>. Each file's
/// tree is built once, on its first request. Engine loop only.
/// </summary>
internal sealed class HashServer
{
    /// <summary>Requests one peer may make per window; 256 of 512 pieces each is far more than a download needs.</summary>
    public const int MaxRequestsPerPeer = 256;

    /// <summary>The window <see cref="MaxRequestsPerPeer"/> counts over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<int, PieceLayerTree> _trees = [];
    private readonly Dictionary<int, (DateTimeOffset Start, int Count)> _perPeer = [];
    private Dictionary<ReadOnlyMemory<byte>, int>? _fileByRoot;
    private TorrentInfo? _torrent;

    /// <summary>Requests answered with hashes.</summary>
    public long Served { get; private set; }

    /// <summary>Requests answered with a reject.</summary>
    public long Rejected { get; private set; }

    /// <summary>Answers <paramref name="request"/> from <paramref name="peer"/>.</summary>
    public void OnRequest(PeerConnection peer, TorrentInfo? torrent, in HashRequest request, DateTimeOffset now)
    {
        var hashes = CountRequest(peer.Id, now) && torrent is not null ? Answer(torrent, request) : null;
        if (hashes is null)
        {
            Rejected++;
            peer.SendHashMessage(PeerMessageType.HashReject, request);
            return;
        }

        Served++;
        peer.SendHashMessage(PeerMessageType.Hashes, request, hashes);
    }

    /// <summary>Forgets a peer that left.</summary>
    public void PeerLeft(int peer) => _perPeer.Remove(peer);

    /// <summary>The hashes that answer <paramref name="request"/>, or null when we cannot.</summary>
    public byte[]? Answer(TorrentInfo torrent, in HashRequest request)
    {
        if (!torrent.HasV2 || request.BaseLayer != PieceLayerTree.PieceHeight(torrent.PieceLength))
        {
            return null;
        }

        if (!ReferenceEquals(torrent, _torrent))
        {
            _torrent = torrent;
            _trees.Clear();
            _fileByRoot = null;
        }

        _fileByRoot ??= torrent.Files.Where(f => !f.IsPad && f.Length > torrent.PieceLength)
            .GroupBy(f => f.PiecesRoot, ByteMemoryComparer.Instance)
            .ToDictionary(g => g.Key, g => g.First().Index, ByteMemoryComparer.Instance);
        if (!_fileByRoot.TryGetValue(request.PiecesRoot, out int file))
        {
            return null;
        }

        if (!_trees.TryGetValue(file, out var tree))
        {
            var layer = torrent.GetPieceLayer(file);
            if (layer.IsEmpty)
            {
                return null;
            }

            tree = PieceLayerTree.Build(layer, torrent.PieceLength);
            _trees.Add(file, tree);
        }

        return tree.Answer(request);
    }

    /// <summary>Counts a request of <paramref name="peer"/>; false once it is over its limit in this window.</summary>
    internal bool CountRequest(int peer, DateTimeOffset now)
    {
        var (start, count) = _perPeer.TryGetValue(peer, out var entry) && now - entry.Start < Window ? entry : (now, 0);
        _perPeer[peer] = (start, count + 1);
        return count < MaxRequestsPerPeer;
    }
}
