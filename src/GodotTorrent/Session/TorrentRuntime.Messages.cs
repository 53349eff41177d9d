using System.Buffers;
using GodotTorrent.Swarm;
using GodotTorrent.Torrent;
using GodotTorrent.Wire;

namespace GodotTorrent.Session;

/// <summary>Handling peer messages: requests out, blocks in, uploads served.</summary>
internal sealed partial class TorrentRuntime : IRequestBudget
{
    // Requests a peer may queue with us; more are rejected (or ignored without the fast extension).
    private const int MaxPeerRequests = 500;

    // Disk reads for one peer's uploads at once.
    private const int MaxReadsPerPeer = 8;

    // Bytes queued for a peer's socket before we stop reading more blocks for it.
    private const int MaxQueuedUploadBytes = 1024 * 1024;

    private void OnMessages(PeerConnection peer, List<InboundMessage> batch)
    {
        long bytes = 0;
        foreach (var message in batch)
        {
            bytes += message.FrameLength;
            if (peer.IsClosed || _lifecycle.IsStopped)
            {
                if (message.Type == PeerMessageType.Piece && message.Data is not null)
                {
                    ArrayPool<byte>.Shared.Return(message.Data);
                }

                continue;
            }

            HandleMessage(peer, message);
        }

        peer.LastReceived = Now;
        peer.Handled(bytes);
        if (!peer.IsClosed)
        {
            Refill(peer);
            ServeUploads(peer);
        }
    }

    private void HandleMessage(PeerConnection peer, in InboundMessage message)
    {
        switch (message.Type)
        {
            case PeerMessageType.Choke:
                peer.PeerChoking = true;
                _requests.DropAll(peer, sendCancels: false);
                _picker?.PeerChoked(peer.Id);
                break;
            case PeerMessageType.Unchoke:
                peer.PeerChoking = false;
                _picker?.PeerUnchoked(peer.Id);
                break;
            case PeerMessageType.Interested:
                peer.PeerInterested = true;
                if (peer.AmChoking && UnchokedCount < Settings.UploadSlotsPerTorrent)
                {
                    // A free slot need not wait for the next choker round.
                    SetChoked(peer, false);
                }

                break;
            case PeerMessageType.NotInterested:
                peer.PeerInterested = false;
                break;
            case PeerMessageType.Have or PeerMessageType.Bitfield or PeerMessageType.HaveAll or PeerMessageType.HaveNone when Torrent is null:
                (peer.PendingPieceMessages ??= []).Add(message);
                break;
            case PeerMessageType.Have:
                peer.Have ??= new Bitfield(Torrent!.PieceCount);
                peer.Have[message.Index] = true;
                _picker?.PeerHave(peer.Id, message.Index);
                UpdateInterest(peer);
                break;
            case PeerMessageType.Bitfield:
            {
                // A bitfield may come again later (aria2 sends one instead of a run of haves):
                // it replaces the peer's pieces in the picker, and what the peer had it still has.
                var bits = Bitfield.FromBytes(message.Data, Torrent!.PieceCount);
                if (peer.Have is { } known)
                {
                    for (int i = known.NextSet(0); i >= 0; i = known.NextSet(i + 1))
                    {
                        bits[i] = true;
                    }
                }

                peer.Have = bits;
                _picker?.PeerHas(peer.Id, peer.Have);
                AfterPeerPieces(peer);
                break;
            }

            case PeerMessageType.HaveAll:
                peer.Have = new Bitfield(Torrent!.PieceCount, value: true);
                _picker?.PeerHasAll(peer.Id);
                AfterPeerPieces(peer);
                break;
            case PeerMessageType.HaveNone:
                peer.Have = new Bitfield(Torrent!.PieceCount);
                _picker?.PeerHasNone(peer.Id);
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
                OnBlock(peer, message);
                break;
            case PeerMessageType.Reject:
                _requests.Rejected(peer, new BlockRequest(message.Index, message.Begin, message.Length));
                break;
            case PeerMessageType.AllowedFast:
                _picker?.AllowedFast(peer.Id, message.Index);
                break;
            case PeerMessageType.Suggest:
                _picker?.Suggest(peer.Id, message.Index);
                break;
            case PeerMessageType.Extended:
                OnExtended(peer, message);
                break;
            default:
                // Keep-alives, DHT ports and extensions we did not offer need no answer.
                break;
        }
    }

    private void AfterPeerPieces(PeerConnection peer)
    {
        if (peer.HasAll && IsSeeding)
        {
            Disconnect(peer, ErrorCode.PeerNotUseful, "both sides are seeds");
            return;
        }

        UpdateInterest(peer);
    }

    private void UpdateInterest(PeerConnection peer)
    {
        bool interested = !_uploadOnly && _picker is not null && peer.Have is not null && _picker.IsInteresting(peer.Id);
        if (interested == peer.AmInterested)
        {
            return;
        }

        peer.AmInterested = interested;
        peer.SendMessage(interested ? PeerMessageType.Interested : PeerMessageType.NotInterested);
    }

    /// <summary>Sends as many requests as the peer's queue, the download limit and the disk budget allow.</summary>
    private void Refill(PeerConnection peer)
    {
        if (!Phase.AllowsRequesting() || _writer is null || _fenced || _uploadOnly)
        {
            return;
        }

        var stall = _requests.Refill(peer, Now);
        if (stall == RequestStall.DiskBuffer)
        {
            WarnPerformance("the disk buffer is full: downloading waits for the disk");
        }

        if (stall != RequestStall.None)
        {
            ScheduleRefill(TimeSpan.FromMilliseconds(50));
        }
    }

    RequestStall IRequestBudget.TryReserve(int length)
    {
        if (_writer is null || !_writer.TryReserve(length))
        {
            return RequestStall.DiskBuffer;
        }

        if (!_downloadLimiter.TryConsumeAll(length))
        {
            _writer.Release(length);
            return RequestStall.RateLimit;
        }

        return RequestStall.None;
    }

    void IRequestBudget.Release(int length) => _writer?.Release(length);

    private void ScheduleRefill(TimeSpan delay)
    {
        if (_refillScheduled)
        {
            return;
        }

        _refillScheduled = true;
        _ = RefillLaterAsync(delay);
    }

    private async Task RefillLaterAsync(TimeSpan delay)
    {
        await Task.Delay(delay, _session.Time).ConfigureAwait(true);
        _refillScheduled = false;
        foreach (var peer in _peers.Values)
        {
            Refill(peer);
            ServeUploads(peer);
        }
    }

    private void OnBlock(PeerConnection peer, in InboundMessage message)
    {
        var buffer = message.Data!;
        var block = new BlockRequest(message.Index, message.Begin, message.Length);
        _download.Add(block.Length);
        peer.Download.Add(block.Length);
        if (_writer is null || _requests.BlockArrived(peer, block) is not { } outcome)
        {
            _redundantBytes += block.Length;
            ArrayPool<byte>.Shared.Return(buffer);
            return;
        }

        if (outcome is BlockOutcome.Accepted or BlockOutcome.PieceComplete)
        {
            if (!_contributors.TryGetValue(block.Piece, out var senders))
            {
                senders = [];
                _contributors[block.Piece] = senders;
            }

            senders.Add(peer);
            _writer.Submit(block.Piece, block.Offset, buffer, block.Length);
        }
        else
        {
            _redundantBytes += block.Length;
            _writer.Release(block.Length);
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void OnRequest(PeerConnection peer, BlockRequest block)
    {
        bool acceptable = !peer.AmChoking && _have.Count > block.Piece && _have[block.Piece] && peer.PeerRequests.Count < MaxPeerRequests;
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

    /// <summary>Reads requested blocks from disk and sends them, within the upload limits.</summary>
    private void ServeUploads(PeerConnection peer)
    {
        if (!Phase.AllowsUploading() || _storage is null || _fenced || peer.IsClosed)
        {
            return;
        }

        while (peer.PeerRequests.First is { } first && peer.ReadsInFlight < MaxReadsPerPeer && peer.QueuedSendBytes < MaxQueuedUploadBytes)
        {
            var block = first.Value;
            if (!_uploadLimiter.TryConsumeAll(block.Length))
            {
                ScheduleRefill(TimeSpan.FromMilliseconds(50));
                return;
            }

            peer.PeerRequests.RemoveFirst();
            peer.ReadsInFlight++;
            _ = SendBlockAsync(peer, block);
        }
    }

    /// <summary>
    /// The size of a piece as peers may address it. In a v2-only torrent every file is followed by
    /// an alignment gap up to the next piece boundary, the last file included; libtorrent counts
    /// those gaps as (implicit) pad files, so to it every piece is a whole piece and it requests
    /// blocks that run into a gap. Those requests are accepted and the gap is sent as zeros (see
    /// <see cref="SendBlockAsync"/>). In v1 and hybrid torrents pads are real files: no difference.
    /// </summary>
    private int WirePieceSize(int piece)
    {
        var torrent = Torrent!;
        return torrent.HasV1 ? torrent.GetPieceSize(piece) : torrent.PieceLength;
    }

    private async Task SendBlockAsync(PeerConnection peer, BlockRequest block)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(block.Length);
        try
        {
            // Bytes past the piece's data (a v2 alignment gap, see WirePieceSize) are zeros.
            int data = Math.Clamp(Torrent!.GetPieceSize(block.Piece) - block.Offset, 0, block.Length);
            buffer.AsSpan(data, block.Length - data).Clear();
            if (data > 0)
            {
                await _storage!.ReadAsync(block.Piece, block.Offset, buffer.AsMemory(0, data)).ConfigureAwait(true);
            }

            if (!peer.IsClosed)
            {
                peer.SendPiece(block, buffer.AsMemory(0, block.Length));
                peer.LastSent = Now;
                peer.Upload.Add(block.Length);
                _upload.Add(block.Length);
            }
        }
        catch (Storage.StorageException e)
        {
            // A file vanished or shrank under a seeding torrent: stop and say so, keep what is verified.
            Fail(e.ErrorCode, e.Message, e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            peer.ReadsInFlight--;
        }

        ServeUploads(peer);
    }
}
