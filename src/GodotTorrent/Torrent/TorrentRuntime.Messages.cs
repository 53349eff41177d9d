using System.Buffers;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Session;
using GodotTorrent.Swarm;

namespace GodotTorrent.Torrent;

/// <summary>Handling peer messages: requests out, blocks in, uploads served.</summary>
internal sealed partial class TorrentRuntime : IRequestBudget, IPeerMessageHost, IUploadHost
{
    private void OnMessages(PeerConnection peer, List<InboundMessage> batch) => _protocol.OnMessages(peer, batch);

    private void HandleMessage(PeerConnection peer, in InboundMessage message) => _protocol.Handle(peer, message);

    private void UpdateInterest(PeerConnection peer) => _protocol.UpdateInterest(peer);

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

    bool IPeerMessageHost.IsStopped => _lifecycle.IsStopped;

    DateTimeOffset IPeerMessageHost.Now => Now;

    int? IPeerMessageHost.PieceCount => Torrent?.PieceCount;

    PiecePicker? IPeerMessageHost.Picker => _picker;

    Bitfield IPeerMessageHost.OurPieces => _have;

    bool IPeerMessageHost.IsSeeding => IsSeeding;

    bool IPeerMessageHost.UploadOnly => _uploadOnly;

    RequestScheduler IPeerMessageHost.Requests => _requests;

    bool IPeerMessageHost.HasFreeUploadSlot => UnchokedCount < Settings.UploadSlotsPerTorrent;

    void IPeerMessageHost.Unchoke(PeerConnection peer) => SetChoked(peer, false);

    void IPeerMessageHost.Disconnect(PeerConnection peer, ErrorCode code, string reason) => Disconnect(peer, code, reason);

    void IPeerMessageHost.OnBlock(PeerConnection peer, in InboundMessage message) => OnBlock(peer, message);

    void IPeerMessageHost.OnExtended(PeerConnection peer, in InboundMessage message) => OnExtended(peer, message);

    bool IUploadHost.CanUpload => Phase.AllowsUploading() && _storage is not null && !_fenced;

    DateTimeOffset IUploadHost.Now => Now;

    int IUploadHost.PieceDataSize(int piece) => Torrent!.GetPieceSize(piece);

    bool IUploadHost.TryConsumeUpload(int length) => _uploadLimiter.TryConsumeAll(length);

    ValueTask IUploadHost.ReadAsync(int piece, int offset, Memory<byte> buffer) => new(_fence.ReadAsync(_storage!, piece, offset, buffer));

    void IUploadHost.Uploaded(PeerConnection peer, int length)
    {
        peer.Upload.Add(length);
        _upload.Add(length);
    }

    void IUploadHost.ReadFailed(Storage.StorageException error) => Fail(error.ErrorCode, error.Message, error);

    void IUploadHost.RetrySoon() => ScheduleRefill(TimeSpan.FromMilliseconds(50));

    void IPeerMessageHost.AfterBatch(PeerConnection peer)
    {
        Refill(peer);
        ServeUploads(peer);
    }

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

    private void ServeUploads(PeerConnection peer) => _uploads.Serve(peer);

    /// <summary>
    /// The size of a piece as peers may address it. In a v2-only torrent every file is followed by
    /// an alignment gap up to the next piece boundary, the last file included; libtorrent counts
    /// those gaps as (implicit) pad files, so to it every piece is a whole piece and it requests
    /// blocks that run into a gap. Those requests are accepted and the gap is sent as zeros (see
    /// <see cref="UploadServer"/>). In v1 and hybrid torrents pads are real files: no difference.
    /// </summary>
    private int WirePieceSize(int piece)
    {
        var torrent = Torrent!;
        return torrent.HasV1 ? torrent.GetPieceSize(piece) : torrent.PieceLength;
    }
}
