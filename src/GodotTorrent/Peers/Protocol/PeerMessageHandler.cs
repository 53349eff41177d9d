using System.Buffers;
using GodotTorrent.Swarm;
using GodotTorrent.Wire;

namespace GodotTorrent.Peers.Protocol;

/// <summary>
/// The BitTorrent messages of one torrent's peers: choke and interest state, the pieces each peer
/// has (told to the picker), its requests queued for upload, and our interest in it. Blocks and
/// extension messages go to the torrent. Engine loop only.
/// </summary>
internal sealed class PeerMessageHandler
{
    /// <summary>
    /// Requests a peer may queue with us, and the <c>reqq</c> we announce (BEP 10); more are rejected
    /// (or ignored without the fast extension). libtorrent queues up to reqq requests with a fast peer
    /// and allows 2,000 itself: at 500 it kept a quarter of its usual depth against us.
    /// </summary>
    public const int MaxPeerRequests = 2000;

    // BEP 3 keep-alives: peers time out silent connections after about two minutes, so speak sooner.
    private static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(90);

    private readonly IPeerMessageHost _host;

    public PeerMessageHandler(IPeerMessageHost host) => _host = host;

    /// <summary>Handles a batch the peer's receive pump delivered to the loop.</summary>
    public void OnMessages(PeerConnection peer, List<InboundMessage> batch)
    {
        long bytes = 0;
        foreach (var message in batch)
        {
            bytes += message.FrameLength;
            if (peer.IsClosed || _host.IsStopped)
            {
                if (message.Type == PeerMessageType.Piece && message.Data is not null)
                {
                    ArrayPool<byte>.Shared.Return(message.Data);
                }

                continue;
            }

            peer.HeardFrom |= message.Type != PeerMessageType.KeepAlive;
            Handle(peer, message);
        }

        peer.LastReceived = _host.Now;
        peer.Handled(bytes);
        if (!peer.IsClosed)
        {
            _host.AfterBatch(peer);
        }
    }

    public void Handle(PeerConnection peer, in InboundMessage message)
    {
        var picker = _host.Picker;
        switch (message.Type)
        {
            case PeerMessageType.Choke:
                peer.PeerChoking = true;
                _host.Requests.DropAll(peer, sendCancels: false);
                picker?.PeerChoked(peer.Id);
                break;
            case PeerMessageType.Unchoke:
                peer.PeerChoking = false;
                picker?.PeerUnchoked(peer.Id);
                break;
            case PeerMessageType.Interested:
                peer.PeerInterested = true;
                if (peer.AmChoking && _host.HasFreeUploadSlot)
                {
                    // A free slot need not wait for the next choker round.
                    _host.Unchoke(peer);
                }

                break;
            case PeerMessageType.NotInterested:
                peer.PeerInterested = false;
                break;
            case PeerMessageType.Have or PeerMessageType.Bitfield or PeerMessageType.HaveAll or PeerMessageType.HaveNone when _host.PieceCount is null:
                (peer.PendingPieceMessages ??= []).Add(message);
                break;
            case PeerMessageType.Have:
                peer.Have ??= new Bitfield(_host.PieceCount!.Value);
                peer.Have[message.Index] = true;
                picker?.PeerHave(peer.Id, message.Index);
                UpdateInterest(peer);
                break;
            case PeerMessageType.Bitfield:
            {
                // A bitfield may come again later (aria2 sends one instead of a run of haves):
                // it replaces the peer's pieces in the picker, and what the peer had it still has.
                var bits = Bitfield.FromBytes(message.Data, _host.PieceCount!.Value);
                if (peer.Have is { } known)
                {
                    for (int i = known.NextSet(0); i >= 0; i = known.NextSet(i + 1))
                    {
                        bits[i] = true;
                    }
                }

                peer.Have = bits;
                picker?.PeerHas(peer.Id, peer.Have);
                AfterPeerPieces(peer);
                break;
            }

            case PeerMessageType.HaveAll:
                peer.Have = new Bitfield(_host.PieceCount!.Value, value: true);
                picker?.PeerHasAll(peer.Id);
                AfterPeerPieces(peer);
                break;
            case PeerMessageType.HaveNone:
                peer.Have = new Bitfield(_host.PieceCount!.Value);
                picker?.PeerHasNone(peer.Id);
                AfterPeerPieces(peer);
                break;
            case PeerMessageType.Request:
                OnRequest(peer, new BlockRequest(message.Index, message.Begin, message.Length));
                break;
            case PeerMessageType.Cancel:
                var cancelled = new BlockRequest(message.Index, message.Begin, message.Length);
                if (peer.PeerRequests.Remove(cancelled) && peer.Reserved.FastExtension)
                {
                    // BEP 6: a cancelled request is answered with a reject.
                    peer.SendReject(cancelled);
                }

                break;
            case PeerMessageType.Piece:
                _host.OnBlock(peer, message);
                break;
            case PeerMessageType.Reject:
                _host.Requests.Rejected(peer, new BlockRequest(message.Index, message.Begin, message.Length));
                break;
            case PeerMessageType.AllowedFast:
                picker?.AllowedFast(peer.Id, message.Index);
                break;
            case PeerMessageType.Suggest:
                picker?.Suggest(peer.Id, message.Index);
                break;
            case PeerMessageType.Extended:
                _host.OnExtended(peer, message);
                break;
            case PeerMessageType.HashRequest or PeerMessageType.Hashes or PeerMessageType.HashReject:
                _host.OnHashMessage(peer, message);
                break;
            case PeerMessageType.Port when peer.Reserved.Dht && !peer.ReceivedDhtPort && message.Index != 0:
                // BEP 5: the peer's DHT node, worth a ping; one per connection, so a peer cannot flood the DHT through us.
                peer.ReceivedDhtPort = true;
                _host.OnDhtPort(peer, message.Index);
                break;
            default:
                // Keep-alives, other DHT ports and extensions we did not offer need no answer.
                break;
        }
    }

    /// <summary>
    /// The once-a-second upkeep of a connection: its rate meters, requests out too long, a peer
    /// silent too long (disconnected), and our keep-alive.
    /// </summary>
    public void Tick(PeerConnection peer, DateTimeOffset now, TimeSpan requestTimeout, TimeSpan inactivityTimeout)
    {
        peer.Download.Tick();
        peer.Upload.Tick();
        peer.WireDownload.Tick();
        peer.WireUpload.Tick();
        _host.Requests.Expire(peer, now, requestTimeout);
        if (now - peer.LastReceived > inactivityTimeout)
        {
            _host.Disconnect(peer, ErrorCode.PeerInactive, "the peer sent nothing for too long");
            return;
        }

        if (now - peer.LastSent > KeepAliveInterval)
        {
            peer.SendKeepAlive();
            peer.LastSent = now;
        }
    }

    /// <summary>Tells the peer whether we want something it has, when that changed.</summary>
    public void UpdateInterest(PeerConnection peer)
    {
        var picker = _host.Picker;
        bool interested = !_host.UploadOnly && picker is not null && peer.Have is not null && picker.IsInteresting(peer.Id);
        if (interested == peer.AmInterested)
        {
            return;
        }

        peer.AmInterested = interested;
        peer.SendMessage(interested ? PeerMessageType.Interested : PeerMessageType.NotInterested);
    }

    private void AfterPeerPieces(PeerConnection peer)
    {
        if (peer.HasAll && _host.IsSeeding)
        {
            _host.Disconnect(peer, ErrorCode.PeerNotUseful, "both sides are seeds");
            return;
        }

        UpdateInterest(peer);
    }

    private void OnRequest(PeerConnection peer, BlockRequest block)
    {
        var have = _host.OurPieces;
        bool acceptable = !peer.AmChoking && have.Count > block.Piece && have[block.Piece] && peer.PeerRequests.Count < MaxPeerRequests;
        if (!acceptable)
        {
            if (peer.Reserved.FastExtension)
            {
                peer.SendReject(block);
            }

            return;
        }

        peer.PeerRequests.AddLast(block);
    }
}
