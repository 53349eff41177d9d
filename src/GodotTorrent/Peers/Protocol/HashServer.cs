using System.Buffers;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;
using GodotTorrent.Wire;

namespace GodotTorrent.Peers.Protocol;

/// <summary>
/// Answers BEP 52 hash requests from one torrent's piece layers (from the .torrent, resume data or
/// fetched from peers): hashes at the piece layer with their uncle hashes; at the block layer
/// (which we do not keep) by reading the piece we have from storage and hashing its blocks off the
/// loop (<see cref="BlockHashAnswer"/>), at most <see cref="MaxBlockReadsPerPeer"/> at once per
/// peer; a reject for anything else (unknown roots, layers or pieces we lack), and a reject beyond
/// <see cref="MaxRequestsPerPeer"/> requests a peer makes in one <see cref="Window"/> (to libtorrent
/// 2.0, no answer instead for a block-layer request: see <see cref="Refuse"/>). Each file's
/// tree is built once, on its first request. Engine loop only.
/// </summary>
internal sealed class HashServer(IUploadHost storage, Func<int, bool> havePiece, Engine.IBackgroundRunner background)
{
    /// <summary>
    /// Block-layer requests of one peer being read and hashed at once (as many as its block reads);
    /// beyond, a reject: libtorrent 2.0.8 never asks a rejected block request again, so keep it roomy.
    /// </summary>
    public const int MaxBlockReadsPerPeer = 8;

    /// <summary>Requests one peer may make per window; 256 of 512 pieces each is far more than a download needs.</summary>
    public const int MaxRequestsPerPeer = 256;

    /// <summary>The window <see cref="MaxRequestsPerPeer"/> counts over.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Dictionary<int, PieceLayerTree> _trees = [];
    private readonly Dictionary<int, (DateTimeOffset Start, int Count)> _perPeer = [];
    private readonly Dictionary<int, int> _blockReads = [];
    private Dictionary<ReadOnlyMemory<byte>, int>? _fileByRoot;
    private TorrentInfo? _torrent;

    /// <summary>Requests answered with hashes.</summary>
    public long Served { get; private set; }

    /// <summary>Requests answered with a reject.</summary>
    public long Rejected { get; private set; }

    /// <summary>Block-layer requests (base layer 0) answered with hashes.</summary>
    public long ServedBlockLayers { get; private set; }

    /// <summary>Block-layer requests from libtorrent 2.0 left unanswered instead of rejected (<see cref="Refuse"/>).</summary>
    public long Withheld { get; private set; }

    /// <summary>Answers <paramref name="request"/> from <paramref name="peer"/>.</summary>
    public void OnRequest(PeerConnection peer, TorrentInfo? torrent, in HashRequest request, DateTimeOffset now)
    {
        bool allowed = CountRequest(peer.Id, now);
        if (allowed && torrent is { HasV2: true } && request.BaseLayer == 0 && storage.CanUpload
            && _blockReads.GetValueOrDefault(peer.Id) < MaxBlockReadsPerPeer && FileOf(torrent, request) is { } file
            && BlockHashAnswer.TryLocate(torrent, file, request, out int piece, out int dataLength) && havePiece(piece))
        {
            _blockReads[peer.Id] = _blockReads.GetValueOrDefault(peer.Id) + 1;
            _ = ServeBlockLayerAsync(peer, torrent, file, request, piece, dataLength);
            return;
        }

        var hashes = allowed && torrent is not null ? Answer(torrent, request) : null;
        if (hashes is null)
        {
            Refuse(peer, request);
            return;
        }

        Served++;
        peer.SendHashMessage(PeerMessageType.Hashes, request, hashes);
    }

    /// <summary>Forgets a peer that left.</summary>
    public void PeerLeft(int peer)
    {
        _perPeer.Remove(peer);
        _blockReads.Remove(peer);
    }

    /// <summary>The hashes that answer <paramref name="request"/>, or null when we cannot.</summary>
    public byte[]? Answer(TorrentInfo torrent, in HashRequest request)
    {
        if (!torrent.HasV2 || request.BaseLayer != PieceLayerTree.PieceHeight(torrent.PieceLength)
            || FileOf(torrent, request) is not { } file || file.Length <= torrent.PieceLength)
        {
            return null;
        }

        return TreeOf(torrent, file)?.Answer(request);
    }

    // The file a request names by its pieces root (the first of identical files).
    private FileEntry? FileOf(TorrentInfo torrent, in HashRequest request)
    {
        if (!ReferenceEquals(torrent, _torrent))
        {
            _torrent = torrent;
            _trees.Clear();
            _fileByRoot = null;
        }

        _fileByRoot ??= torrent.Files.Where(f => !f.IsPad && f.Length > 0)
            .GroupBy(f => f.PiecesRoot, ByteMemoryComparer.Instance)
            .ToDictionary(g => g.Key, g => g.First().Index, ByteMemoryComparer.Instance);
        return _fileByRoot.TryGetValue(request.PiecesRoot, out int file) ? torrent.Files[file] : null;
    }

    // The file's tree above its piece layer, built on first use; null for a file without a layer.
    private PieceLayerTree? TreeOf(TorrentInfo torrent, FileEntry file)
    {
        if (file.Length <= torrent.PieceLength)
        {
            return null;
        }

        if (!_trees.TryGetValue(file.Index, out var tree))
        {
            var layer = torrent.GetPieceLayer(file.Index);
            if (layer.IsEmpty)
            {
                return null;
            }

            tree = PieceLayerTree.Build(layer, torrent.PieceLength);
            _trees.Add(file.Index, tree);
        }

        return tree;
    }

    // Reads the piece (storage I/O, resuming on the loop), hashes its blocks off the loop, answers.
    private async Task ServeBlockLayerAsync(PeerConnection peer, TorrentInfo torrent, FileEntry file, HashRequest request, int piece, int dataLength)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, dataLength));
        byte[]? hashes = null;
        try
        {
            await storage.ReadAsync(piece, 0, buffer.AsMemory(0, dataLength)).ConfigureAwait(true);
            var tree = TreeOf(torrent, file);
            hashes = await background.Run(() => Task.FromResult(BlockHashAnswer.Build(torrent, file, request, buffer.AsSpan(0, dataLength), tree))).ConfigureAwait(true);
        }
        catch (StorageException)
        {
            // Unreadable now (a file vanished): refuse this request; the upload path reports the error.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (_blockReads.TryGetValue(peer.Id, out int reads))
            {
                _blockReads[peer.Id] = reads - 1;
            }
        }

        if (peer.IsClosed)
        {
            return;
        }

        if (hashes is null)
        {
            Refuse(peer, request);
            return;
        }

        Served++;
        ServedBlockLayers++;
        peer.SendHashMessage(PeerMessageType.Hashes, request, hashes);
    }

    /// <summary>
    /// A reject, except for a block-layer request from libtorrent 2.0: every release to 2.0.13 takes
    /// a block-layer reject's block index for a piece index and writes past the end of an array
    /// (hash_picker::hashes_rejected: a crash, or worse; fixed on its RC_2_0 branch in July 2026,
    /// after 2.0.13). Left unanswered, the request only counts against that peer's two outstanding
    /// hash requests, and libtorrent asks another peer.
    /// </summary>
    private void Refuse(PeerConnection peer, in HashRequest request)
    {
        if (request.BaseLayer == 0 && IsLibtorrent2(peer.PeerId))
        {
            Withheld++;
            return;
        }

        Rejected++;
        peer.SendHashMessage(PeerMessageType.HashReject, request);
    }

    // Azureus-style "-LT20..-": libtorrent's 2.0 series (RC_2_0) announces itself so.
    private static bool IsLibtorrent2(PeerId id)
    {
        Span<byte> bytes = stackalloc byte[PeerId.Length];
        id.CopyTo(bytes);
        return bytes.StartsWith("-LT20"u8);
    }

    /// <summary>Counts a request of <paramref name="peer"/>; false once it is over its limit in this window.</summary>
    internal bool CountRequest(int peer, DateTimeOffset now)
    {
        var (start, count) = _perPeer.TryGetValue(peer, out var entry) && now - entry.Start < Window ? entry : (now, 0);
        _perPeer[peer] = (start, count + 1);
        return count < MaxRequestsPerPeer;
    }
}
