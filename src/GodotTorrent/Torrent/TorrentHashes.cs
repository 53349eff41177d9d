using GodotTorrent.Metainfo;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Torrent;

/// <summary>
/// One torrent's BEP 52 hash messages: requests from peers answered by a <see cref="HashServer"/>;
/// missing piece layers fetched by a <see cref="HashPicker"/> from peers that speak v2. While a
/// v2-only torrent lacks a file's layer, that file's pieces are held back from the picker (they
/// could not be verified); once the layer is installed they are released. Hashes that do not
/// prove the file's root close the connection as a protocol error (<see cref="ErrorCode.InvalidHashes"/>:
/// a <c>PeerErrorAlert</c> and a strike). A failed v2 piece has its blocks checked by a
/// <see cref="BlockHashCheck"/> against block hashes from a peer before it is fetched again.
/// Engine loop only.
/// </summary>
internal sealed class TorrentHashes(Func<TorrentInfo?> torrent, TorrentSwarm swarm, Dictionary<int, PeerConnection> peers, IUploadHost storage, Func<FileEntry, Task> verifyOnDisk, Engine.IBackgroundRunner background, ILogger logger)
{
    private readonly HashServer _server = new(storage, piece => swarm.Picker?.HavePiece(piece) == true, background);
    private readonly BlockHashCheck _blocks = new();
    private Swarm.PiecePicker? _blocksPicker;
    private HashPicker? _picker;
    private TorrentInfo? _pickerTorrent;

    /// <summary>The layer fetcher, null when nothing is missing (tests look).</summary>
    internal HashPicker? Picker => _picker;

    internal HashServer Server => _server;

    /// <summary>Failed v2 pieces whose blocks are being checked (tests look).</summary>
    internal BlockHashCheck Blocks => _blocks;

    /// <summary>Holds the pieces of files whose layers are missing (v2-only torrents: a hybrid's SHA-1 still verifies them).</summary>
    public static void HoldUnverifiable(TorrentInfo info, Swarm.PiecePicker picker)
    {
        if (info.HasV1)
        {
            return;
        }

        foreach (var file in info.Files.Where(info.NeedsPieceLayer))
        {
            SetHeld(picker, file, held: true);
        }
    }

    public void OnMessage(PeerConnection peer, in Swarm.InboundMessage message, DateTimeOffset now)
    {
        var info = torrent();
        if (!HashRequest.TryParse(message.Data ?? [], out var request))
        {
            TorrentConnections.Disconnect(peer, ErrorCode.InvalidHashes, $"a {message.Type} message with fields out of range");
            return;
        }

        switch (message.Type)
        {
            case PeerMessageType.HashRequest:
                _server.OnRequest(peer, info, request, now);
                break;
            // With 16 KiB pieces the piece layer is layer 0 too: only answers to our block checks go to them.
            case PeerMessageType.HashReject when _blocks.IsOutTo(peer.Id, request):
                _blocks.OnReject(peer.Id, request);
                DispatchBlockChecks(now);
                break;
            case PeerMessageType.Hashes when _blocks.IsOutTo(peer.Id, request):
                OnBlockHashes(peer, info, request, message.Data.AsSpan(HashRequest.EncodedLength), now);
                break;
            case PeerMessageType.HashReject:
                EnsurePicker(info)?.OnReject(peer.Id, request, now);
                Refill(peer, now);
                break;
            case PeerMessageType.Hashes:
                OnHashes(peer, info, request, message.Data.AsSpan(HashRequest.EncodedLength), now);
                break;
        }
    }

    /// <summary>Asks <paramref name="peer"/> for missing layers, when it speaks v2 and has room.</summary>
    public void Refill(PeerConnection peer, DateTimeOffset now)
    {
        if (!peer.SpeaksV2 || peer.IsClosed || EnsurePicker(torrent()) is not { } picker)
        {
            return;
        }

        foreach (var request in picker.Pick(peer.Id, now))
        {
            peer.SendHashMessage(PeerMessageType.HashRequest, request);
        }
    }

    /// <summary>Once a second: requests out too long go to other peers; every peer is asked again.</summary>
    public void Tick(DateTimeOffset now)
    {
        SyncBlockChecks();
        if (_blocks.Count > 0 && _blocks.Expire(now, id => peers.TryGetValue(id, out var p) && !p.IsClosed))
        {
            DispatchBlockChecks(now);
        }

        if (EnsurePicker(torrent()) is not { } picker)
        {
            return;
        }

        picker.Expire(now, id => peers.TryGetValue(id, out var p) && !p.IsClosed);
        foreach (var peer in peers.Values)
        {
            Refill(peer, now);
        }
    }

    /// <summary>Forgets a peer that left.</summary>
    public void PeerLeft(PeerConnection peer) => _server.PeerLeft(peer.Id);

    /// <summary>
    /// A piece failed its hash check. A v2 piece with <paramref name="leaves"/> has its block hashes
    /// asked of a peer that has it (BEP 52) before anything is fetched again; any other piece, or
    /// one no peer can help with (none that has it and speaks v2, too many checks), takes the
    /// whole-piece path with smart ban at once.
    /// </summary>
    public void OnPieceFailed(int piece, ulong[]? digests, byte[]? leaves, DateTimeOffset now)
    {
        SyncBlockChecks();
        if (leaves is null || torrent() is not { } info || swarm.Picker is null || BlockHashCheck.RequestFor(info, piece) is not { } request
            || !peers.Values.Any(p => TorrentSwarm.CanServeBlockHashes(p, piece)) || !_blocks.Start(piece, request, leaves, digests))
        {
            swarm.OnPieceFailed(piece, digests);
            return;
        }

        DispatchBlockChecks(now);
    }

    // Checks belong to the picker they started under: a new one (a recheck) starts from what storage holds.
    private void SyncBlockChecks()
    {
        if (!ReferenceEquals(swarm.Picker, _blocksPicker))
        {
            _blocks.Clear();
            _blocksPicker = swarm.Picker;
        }
    }

    private void OnBlockHashes(PeerConnection peer, TorrentInfo? info, in HashRequest request, ReadOnlySpan<byte> hashes, DateTimeOffset now)
    {
        SyncBlockChecks();
        if (info is null || !_blocks.TryTake(peer.Id, request, out int piece, out var leaves, out var digests))
        {
            return; // A late answer, or one to a check that gave up.
        }

        if (swarm.Picker is null || swarm.Picker.HavePiece(piece))
        {
            return;
        }

        var bad = BlockHashCheck.BadBlocks(info, piece, request, hashes, leaves);
        if (bad is null)
        {
            _blocks.Restore(piece, request, leaves, digests, peer.Id);
            logger.LogWarning("{Peer} sent block hashes ({Request}) that do not prove piece {Piece}", peer.EndPoint, request, piece);
            TorrentConnections.Disconnect(peer, ErrorCode.InvalidHashes, "block hashes that do not prove the piece's node (BEP 52)");
            DispatchBlockChecks(now);
            return;
        }

        if (bad.Count == 0)
        {
            // Every leaf matches yet the piece failed: nothing to pin on a block, so the whole piece goes again.
            swarm.OnPieceFailed(piece, digests);
        }
        else
        {
            logger.LogInformation("Piece {Piece}: block hashes from {Peer} show {Bad} bad block(s)", piece, peer.EndPoint, bad.Count);
            swarm.OnBlocksChecked(piece, bad, leaves);
        }

        DispatchBlockChecks(now); // Checks waiting for a free peer.
    }

    // Sends each check with no request out to the least busy peer that has its piece and was not
    // tried (it waits while they all have MaxInFlightPerPeer out); a check with no such peer left
    // takes the whole-piece path.
    private void DispatchBlockChecks(DateTimeOffset now)
    {
        foreach (int piece in _blocks.Unassigned())
        {
            PeerConnection? chosen = null;
            bool candidate = false;
            int least = BlockHashCheck.MaxInFlightPerPeer;
            foreach (var peer in peers.Values)
            {
                if (TorrentSwarm.CanServeBlockHashes(peer, piece) && !_blocks.Get(piece, peer.Id).Tried)
                {
                    candidate = true;
                    int inFlight = _blocks.InFlight(peer.Id);
                    if (inFlight < least)
                    {
                        (chosen, least) = (peer, inFlight);
                    }
                }
            }

            if (chosen is null && candidate)
            {
                continue;
            }

            if (chosen is null)
            {
                var digests = _blocks.Abandon(piece);
                if (swarm.Picker is { } picker && !picker.HavePiece(piece))
                {
                    logger.LogDebug("Piece {Piece}: no peer gave its block hashes; fetching it whole", piece);
                    swarm.OnPieceFailed(piece, digests);
                }

                continue;
            }

            _blocks.Sent(piece, chosen.Id, now);
            chosen.SendHashMessage(PeerMessageType.HashRequest, _blocks.Get(piece, chosen.Id).Request);
        }
    }

    private void OnHashes(PeerConnection peer, TorrentInfo? info, in HashRequest request, ReadOnlySpan<byte> hashes, DateTimeOffset now)
    {
        if (EnsurePicker(info) is not { } picker)
        {
            return;
        }

        switch (picker.OnHashes(peer.Id, request, hashes, out var installed))
        {
            case HashesOutcome.Invalid:
                logger.LogWarning("{Peer} sent hashes ({Request}) that do not prove the pieces root", peer.EndPoint, request);
                TorrentConnections.Disconnect(peer, ErrorCode.InvalidHashes, "hashes that do not prove the file's pieces root (BEP 52)");
                return;
            case HashesOutcome.LayerComplete when installed is not null:
                logger.LogInformation("Piece layer of file {File} fetched from {Peer}", installed.Index, peer.EndPoint);
                _ = ReleaseAsync(installed);
                break;
        }

        Refill(peer, now);
    }

    // The file's pieces stay held while what is on disk is verified, so none is fetched that is already here.
    private async Task ReleaseAsync(FileEntry file)
    {
        var picker = swarm.Picker;
        try
        {
            await verifyOnDisk(file).ConfigureAwait(true);
        }
        finally
        {
            if (swarm.Picker is { } piecePicker && ReferenceEquals(piecePicker, picker))
            {
                SetHeld(piecePicker, file, held: false);
                swarm.UpdateInterestAndRefill();
            }
        }
    }

    private HashPicker? EnsurePicker(TorrentInfo? info)
    {
        if (info is null || !info.HasV2)
        {
            return null;
        }

        if (!ReferenceEquals(info, _pickerTorrent))
        {
            _pickerTorrent = info;
            _picker = new HashPicker(info);
        }

        return _picker is { IsComplete: false } ? _picker : null;
    }

    private static void SetHeld(Swarm.PiecePicker picker, FileEntry file, bool held)
    {
        for (int piece = file.FirstPiece; piece <= file.LastPiece; piece++)
        {
            picker.SetHeld(piece, held);
        }
    }
}
