using System.Buffers;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;

namespace GodotTorrent.Peers.Protocol;

/// <summary>
/// Serves the blocks peers asked for: reads them from storage on the thread pool and sends them,
/// a few reads per peer at a time and only while the peer's socket keeps up, within the upload
/// limits. Engine loop only (the reads resume on it).
/// </summary>
internal sealed class UploadServer
{
    // Disk reads for one peer's uploads at once.
    private const int MaxReadsPerPeer = 8;

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

        while (peer.PeerRequests.First is { } first && peer.ReadsInFlight < MaxReadsPerPeer && peer.QueuedSendBytes < MaxQueuedUploadBytes)
        {
            var block = first.Value;
            if (!_host.TryConsumeUpload(block.Length))
            {
                _host.RetrySoon();
                return;
            }

            peer.PeerRequests.RemoveFirst();
            peer.ReadsInFlight++;
            _ = SendBlockAsync(peer, block);
        }
    }

    private async Task SendBlockAsync(PeerConnection peer, BlockRequest block)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(block.Length);
        try
        {
            // Bytes past the piece's data (a v2 alignment gap, see TorrentRuntime.WirePieceSize) are zeros.
            int data = Math.Clamp(_host.PieceDataSize(block.Piece) - block.Offset, 0, block.Length);
            buffer.AsSpan(data, block.Length - data).Clear();
            if (data > 0)
            {
                await _host.ReadAsync(block.Piece, block.Offset, buffer.AsMemory(0, data)).ConfigureAwait(true);
            }

            if (!peer.IsClosed)
            {
                peer.SendPiece(block, buffer.AsMemory(0, block.Length));
                peer.LastSent = _host.Now;
                _host.Uploaded(peer, block.Length);
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
