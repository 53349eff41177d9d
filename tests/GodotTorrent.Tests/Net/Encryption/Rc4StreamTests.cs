using GodotTorrent.Net;
using GodotTorrent.Net.Encryption;
using GodotTorrent.Net.Handshake;

namespace GodotTorrent.Tests.Net.Encryption;

public sealed class Rc4StreamTests
{
    [Fact]
    public async Task Sends_leave_the_callers_buffer_alone_and_allocate_nothing_once_warm()
    {
        var stream = new Rc4Stream(new ScriptedStream([]), Rc4.ForMse("in"u8), Rc4.ForMse("out"u8));
        var data = new byte[256 * 1024];
        new Random(8).NextBytes(data);
        var original = data.ToArray();
        await stream.SendAsync(data, CancellationToken.None);

        // The fewest bytes of several rounds: a full GC elsewhere in the test run may trim the shared
        // array pool, and the one send after it rents its buffer anew; that is not a per-send cost.
        long allocated = long.MaxValue;
        for (int round = 0; round < 4; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int n = 0; n < 100; n++)
            {
                await stream.SendAsync(data, CancellationToken.None);
            }

            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(original, data);
        Assert.True(allocated < 1024, $"{allocated} bytes allocated by 100 sends of 256 KiB");
    }

    [Fact]
    public async Task What_one_side_sends_the_other_receives_in_any_piece_sizes()
    {
        var duplex = new MemoryDuplex();
        var a = new Rc4Stream(duplex.Dialler, Rc4.ForMse("b to a"u8), Rc4.ForMse("a to b"u8));
        var b = new Rc4Stream(duplex.Acceptor, Rc4.ForMse("a to b"u8), Rc4.ForMse("b to a"u8));
        var data = new byte[200_000];
        new Random(9).NextBytes(data);

        for (int offset = 0, size = 1; offset < data.Length; offset += size, size = size * 3 % 70_001)
        {
            await a.SendAsync(data.AsMemory(offset, Math.Min(size, data.Length - offset)), CancellationToken.None);
        }

        var received = new byte[data.Length];
        for (int filled = 0; filled < received.Length;)
        {
            filled += await b.ReceiveAsync(received.AsMemory(filled, Math.Min(1000, received.Length - filled)), CancellationToken.None);
        }

        Assert.Equal(data, received);
        Assert.NotEqual(data, duplex.Dialler.Sent);
    }

    [Fact]
    public async Task A_scratch_send_is_encrypted_in_place_and_mixes_with_ordinary_sends_through_a_prefixed_stream()
    {
        var duplex = new MemoryDuplex();
        byte[] prefix = [1];
        IPeerConnectionStream a = new PrefixedStream(new Rc4Stream(duplex.Dialler, Rc4.ForMse("b to a"u8), Rc4.ForMse("a to b"u8)), prefix);
        var b = new Rc4Stream(duplex.Acceptor, Rc4.ForMse("a to b"u8), Rc4.ForMse("b to a"u8));
        var data = new byte[300_001];
        new Random(10).NextBytes(data);

        // Ordinary, scratch, ordinary: one keystream runs through all three.
        var scratch = data.AsSpan(1000, 200_000).ToArray();
        await a.SendAsync(data.AsMemory(0, 1000), CancellationToken.None);
        await a.SendScratchAsync(scratch, CancellationToken.None);
        await a.SendAsync(data.AsMemory(201_000), CancellationToken.None);

        var wire = duplex.Dialler.Sent;
        Assert.Equal(wire.AsSpan(1000, 200_000).ToArray(), scratch);
        var received = new byte[data.Length];
        for (int filled = 0; filled < received.Length;)
        {
            filled += await b.ReceiveAsync(received.AsMemory(filled), CancellationToken.None);
        }

        Assert.Equal(data, received);
    }
}
