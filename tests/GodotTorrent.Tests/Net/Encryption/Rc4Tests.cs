using GodotTorrent.Net.Encryption;

namespace GodotTorrent.Tests.Net.Encryption;

public sealed class Rc4Tests
{
    // RFC 6229 section 2, key 0x0102030405 (40 bits): keystream at offsets 0, 1024, 1520 and 2048.
    [Theory]
    [InlineData(0, "b2396305f03dc027ccc3524a0a1118a8")]
    [InlineData(1024, "30abbcc7c20b01609f23ee2d5f6bb7df")]
    [InlineData(1520, "3294f744d8f9790507e70f62e5bbceea")]
    [InlineData(2048, "cc582f8ba9f265e2b1be9112e975d2d7")]
    public void The_keystream_matches_RFC_6229_for_a_40_bit_key(int offset, string expected)
    {
        var rc4 = new Rc4([1, 2, 3, 4, 5], discard: offset);
        var stream = new byte[16];
        rc4.Process(stream);

        Assert.Equal(expected, Convert.ToHexString(stream).ToLowerInvariant());
    }

    [Fact]
    public void The_keystream_matches_RFC_6229_for_a_64_bit_key()
    {
        var rc4 = new Rc4([1, 2, 3, 4, 5, 6, 7, 8], discard: 0);
        var stream = new byte[16];
        rc4.Process(stream);

        Assert.Equal("97ab8a1bf0afb96132f2f67258da15a8", Convert.ToHexString(stream).ToLowerInvariant());
    }

    [Fact]
    public void The_MSE_cipher_starts_at_byte_1024_of_the_keystream()
    {
        var stream = new byte[16];
        Rc4.ForMse([1, 2, 3, 4, 5]).Process(stream);

        Assert.Equal("30abbcc7c20b01609f23ee2d5f6bb7df", Convert.ToHexString(stream).ToLowerInvariant());
    }

    [Fact]
    public void Pieces_of_any_size_give_the_same_stream_as_one_call_and_decrypt_back()
    {
        var data = new byte[100_000];
        new Random(5).NextBytes(data);
        var whole = data.ToArray();
        Rc4.ForMse("key"u8).Process(whole);

        var pieces = data.ToArray();
        var rc4 = Rc4.ForMse("key"u8);
        var random = new Random(6);
        for (int offset = 0; offset < pieces.Length;)
        {
            int count = Math.Min(random.Next(1, 5000), pieces.Length - offset);
            rc4.Process(pieces.AsSpan(offset, count));
            offset += count;
        }

        Assert.Equal(whole, pieces);
        Assert.NotEqual(data, whole);
        Rc4.ForMse("key"u8).Process(whole);
        Assert.Equal(data, whole);
    }

    [Fact]
    public void Processing_into_another_buffer_leaves_the_source_alone()
    {
        byte[] source = [1, 2, 3, 4, 5, 6, 7, 8];
        var target = new byte[8];
        Rc4.ForMse("k"u8).Process(source, target);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], source);
        Rc4.ForMse("k"u8).Process(target);
        Assert.Equal(source, target);
    }
}
