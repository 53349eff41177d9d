using GodotTorrent.Net;

namespace GodotTorrent.Tests.Net.Utp;

/// <summary>Writes and reads whole byte arrays through a peer stream, in the mixed sizes the peer pumps use.</summary>
internal static class StreamBytes
{
    /// <summary>Sends <paramref name="data"/> in writes of changing sizes (1 byte to about 40 KB).</summary>
    public static async Task SendAsync(IPeerConnectionStream stream, byte[] data)
    {
        int offset = 0;
        int size = 5;
        while (offset < data.Length)
        {
            int length = Math.Min(size, data.Length - offset);
            // Keeps the caller's context: in simulation that is the stepped scheduler.
            await stream.SendAsync(data.AsMemory(offset, length), CancellationToken.None).ConfigureAwait(true);
            offset += length;
            size = size * 13 % 40000 + 1;
        }
    }

    /// <summary>Reads exactly <paramref name="length"/> bytes; the stream ending first is an error.</summary>
    public static async Task<byte[]> ReadAsync(IPeerConnectionStream stream, int length)
    {
        var result = new byte[length];
        int offset = 0;
        while (offset < length)
        {
            int read = await stream.ReceiveAsync(result.AsMemory(offset, Math.Min(30000, length - offset)), CancellationToken.None).ConfigureAwait(true);
            if (read == 0)
            {
                throw new EndOfStreamException($"ended after {offset} of {length} bytes");
            }

            offset += read;
        }

        return result;
    }
}
