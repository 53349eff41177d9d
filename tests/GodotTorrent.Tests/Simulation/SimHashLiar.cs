using System.Buffers;
using System.Buffers.Binary;
using GodotTorrent.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// A scripted v2 peer on the simulated network that has everything and answers every hash request
/// with random hashes of the right count; optionally it also unchokes at once and answers block
/// requests with random bytes. What a peer must be dropped for (InvalidHashes).
/// </summary>
internal static class SimHashLiar
{
    /// <summary>
    /// Starts the liar on <paramref name="listener"/> under the simulation's scheduler; the list it
    /// returns fills with the hash requests it is sent.
    /// </summary>
    public static List<HashRequest> Start(SimSwarm swarm, ITransportListener listener, byte[] wireHash, bool sendsJunkBlocks)
    {
        var asked = new List<HashRequest>();
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(swarm.Scheduler);
        try
        {
            _ = LieAsync(listener, wireHash, asked, sendsJunkBlocks);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        return asked;
    }

    private static async Task LieAsync(ITransportListener listener, byte[] wireHash, List<HashRequest> asked, bool sendsJunkBlocks)
    {
        var random = new Random(7);
        while (true)
        {
            var stream = await listener.AcceptAsync(CancellationToken.None).ConfigureAwait(true);
            var hello = new byte[Handshake.Length];
            if (!await ReadAsync(stream, hello).ConfigureAwait(true))
            {
                continue;
            }

            var output = new ArrayBufferWriter<byte>();
            var reply = new byte[Handshake.Length];
            Handshake.Create(HandshakeReserved.Create(extensionProtocol: false, fastExtension: true, dht: false), wireHash, PeerId.Generate("-LI0001-")).WriteTo(reply);
            output.Write(reply);
            PeerMessageWriter.WriteEmpty(output, PeerMessageType.HaveAll);
            if (sendsJunkBlocks)
            {
                PeerMessageWriter.WriteEmpty(output, PeerMessageType.Unchoke);
            }

            if (!await SendAsync(stream, output).ConfigureAwait(true))
            {
                continue;
            }

            var prefix = new byte[4];
            while (await ReadAsync(stream, prefix).ConfigureAwait(true))
            {
                var body = new byte[BinaryPrimitives.ReadInt32BigEndian(prefix)];
                if (!await ReadAsync(stream, body).ConfigureAwait(true))
                {
                    break;
                }

                output.Clear();
                if (sendsJunkBlocks && body.Length == 13 && body[0] == (byte)PeerMessageType.Request)
                {
                    var block = new byte[BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(9))];
                    random.NextBytes(block);
                    PeerMessageWriter.WritePiece(output, BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(1)), BinaryPrimitives.ReadInt32BigEndian(body.AsSpan(5)), block);
                }
                else if (body.Length > 0 && body[0] == (byte)PeerMessageType.HashRequest && HashRequest.TryParse(body.AsSpan(1), out var request))
                {
                    asked.Add(request);
                    var hashes = new byte[(request.Length + request.UncleCount) * 32];
                    random.NextBytes(hashes);
                    PeerMessageWriter.WriteHashMessage(output, PeerMessageType.Hashes, request, hashes);
                }

                if (output.WrittenCount > 0 && !await SendAsync(stream, output).ConfigureAwait(true))
                {
                    break;
                }
            }
        }
    }

    private static async Task<bool> SendAsync(IPeerConnectionStream stream, ArrayBufferWriter<byte> output)
    {
        try
        {
            await stream.SendAsync(output.WrittenMemory, CancellationToken.None).ConfigureAwait(true);
            return true;
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static async Task<bool> ReadAsync(IPeerConnectionStream stream, Memory<byte> buffer)
    {
        try
        {
            for (int read = 0; read < buffer.Length;)
            {
                int n = await stream.ReceiveAsync(buffer[read..], CancellationToken.None).ConfigureAwait(true);
                if (n == 0)
                {
                    return false;
                }

                read += n;
            }

            return true;
        }
        catch (Exception e) when (e is ObjectDisposedException or IOException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
