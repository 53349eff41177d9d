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
/// a <c>PeerErrorAlert</c> and a strike). Engine loop only.
/// </summary>
internal sealed class TorrentHashes(Func<TorrentInfo?> torrent, TorrentSwarm swarm, Dictionary<int, PeerConnection> peers, ILogger logger)
{
    private readonly HashServer _server = new();
    private HashPicker? _picker;
    private TorrentInfo? _pickerTorrent;

    /// <summary>The layer fetcher, null when nothing is missing (tests look).</summary>
    internal HashPicker? Picker => _picker;

    internal HashServer Server => _server;

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
                if (swarm.Picker is { } piecePicker)
                {
                    SetHeld(piecePicker, installed, held: false);
                    swarm.UpdateInterestAndRefill();
                }

                break;
        }

        Refill(peer, now);
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
