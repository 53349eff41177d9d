using System.Buffers;
using GodotTorrent.Storage;

namespace GodotTorrent.Peers.Protocol;

/// <summary>
/// Serves the blocks peers asked for: reads them from storage on the thread pool and sends them,
/// a few reads per peer at a time and only while the peer's socket keeps up, within the upload
/// limits. Engine loop only (the reads resume on it).
/// </summary>
/// <remarks>
/// Peers ask for a piece's blocks in order, so the requests at the head of the queue that follow
/// each other are served as one <see cref="UploadRun"/>: one read, one trip back to the loop and
/// one send for up to <see cref="MaxRunBlocks"/> blocks, instead of one of each per block.
/// </remarks>
internal sealed class UploadServer
{
    /// <summary>Blocks served by one read and one send (256 KiB of 16 KiB blocks).</summary>
    public const int MaxRunBlocks = 16;

    // Disk reads (runs) for one peer's uploads at once.
    private const int MaxReadsPerPeer = 4;

    // Bytes queued for a peer's socket before we stop reading more blocks for it.
    private const int MaxQueuedUploadBytes = 1024 * 1024;

    private readonly IUploadHost _host;

    public UploadServer(IUploadHost host) => _host = host;

    /// <summary>Reads requested blocks from disk and sends them, within the upload limits.</summary>
    public void Serve(PeerConnection peer)
    {
        if (!_host.CanUpload || peer.IsClosed)
        {
            return;
        }

        while (peer.PeerRequests.First is not null && peer.ReadsInFlight < MaxReadsPerPeer && peer.QueuedSendBytes < MaxQueuedUploadBytes)
        {
            if (TakeRun(peer) is not { } run)
            {
                _host.RetrySoon();
                return;
            }

            peer.ReadsInFlight++;
            _ = SendRunAsync(peer, run);
        }
    }

    // The head of the peer's queue, extended by the requests that continue it while the limits allow; null when they allow not even one block.
    private UploadRun? TakeRun(PeerConnection peer)
    {
        var requests = peer.PeerRequests;
        var first = requests.First!.Value;
        if (!_host.TryConsumeUpload(first.Length))
        {
            return null;
        }

        requests.RemoveFirst();
        var run = UploadRun.Start(first);
        while (run.Count < MaxRunBlocks && requests.First is { } next && run.CanExtend(next.Value) && _host.TryConsumeUpload(next.Value.Length))
        {
            run = run.Extend(next.Value);
            requests.RemoveFirst();
        }

        return run;
    }

    private async Task SendRunAsync(PeerConnection peer, UploadRun run)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(run.Length);
        try
        {
            // Bytes past the piece's data (a v2 alignment gap, see TorrentRuntime.WirePieceSize) are zeros.
            int data = Math.Clamp(_host.PieceDataSize(run.Piece) - run.Offset, 0, run.Length);
            buffer.AsSpan(data, run.Length - data).Clear();
            if (data > 0)
            {
                await _host.ReadAsync(run.Piece, run.Offset, buffer.AsMemory(0, data)).ConfigureAwait(true);
            }

            if (!peer.IsClosed)
            {
                peer.SendPieces(run, buffer.AsMemory(0, run.Length));
                peer.LastSent = _host.Now;
                _host.Uploaded(peer, run.Length);
            }
        }
        catch (StorageException e)
        {
            // A file vanished or shrank under a seeding torrent: stop and say so, keep what is verified.
            _host.ReadFailed(e);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            peer.ReadsInFlight--;
        }

        Serve(peer);
    }
}
