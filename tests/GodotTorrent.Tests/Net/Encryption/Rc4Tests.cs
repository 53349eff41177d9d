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

    [Fact]
    public void The_word_loop_equals_a_textbook_RC4_for_random_keys_lengths_offsets_and_pieces()
    {
        var random = new Random(19);
        for (int trial = 0; trial < 300; trial++)
        {
            var key = new byte[random.Next(1, 257)];
            random.NextBytes(key);
            int discard = random.Next(0, 2000);
            int length = random.Next(0, 3000);

            // The data sits at an odd place inside a larger array, so words straddle alignment.
            int at = random.Next(0, 9);
            var plain = new byte[at + length + 9];
            random.NextBytes(plain);
            var expected = plain.AsSpan(at, length).ToArray();
            TextbookRc4(key, discard, expected);

            // In place, in pieces of 1 to 40 bytes (across every word boundary) and larger ones.
            var inPlace = plain.ToArray();
            var rc4 = new Rc4(key, discard);
            for (int offset = 0; offset < length;)
            {
                int count = Math.Min(random.Next(2) == 0 ? random.Next(1, 41) : random.Next(1, 700), length - offset);
                rc4.Process(inPlace.AsSpan(at + offset, count));
                offset += count;
            }

            Assert.Equal(expected, inPlace.AsSpan(at, length).ToArray());
            Assert.Equal(plain.AsSpan(0, at).ToArray(), inPlace.AsSpan(0, at).ToArray());
            Assert.Equal(plain.AsSpan(at + length).ToArray(), inPlace.AsSpan(at + length).ToArray());

            // Into another buffer at another odd place, in one call: the bytes around it stay as they were.
            int to = random.Next(0, 9);
            var target = new byte[to + length + 9];
            Array.Fill(target, (byte)0xA5);
            new Rc4(key, discard).Process(plain.AsSpan(at, length), target.AsSpan(to));
            Assert.Equal(expected, target.AsSpan(to, length).ToArray());
            Assert.All(target.AsSpan(0, to).ToArray(), b => Assert.Equal(0xA5, b));
            Assert.All(target.AsSpan(to + length).ToArray(), b => Assert.Equal(0xA5, b));
        }
    }

    // RC4 as it is usually written, one byte at a time over plain arrays: the reference for the fast loop.
    private static void TextbookRc4(byte[] key, int discard, byte[] data)
    {
        var s = new byte[256];
        for (int n = 0; n < 256; n++)
        {
            s[n] = (byte)n;
        }

        int j = 0;
        for (int n = 0; n < 256; n++)
        {
            j = (j + s[n] + key[n % key.Length]) % 256;
            (s[n], s[j]) = (s[j], s[n]);
        }

        int i = 0;
        j = 0;
        for (int n = -discard; n < data.Length; n++)
        {
            i = (i + 1) % 256;
            j = (j + s[i]) % 256;
            (s[i], s[j]) = (s[j], s[i]);
            if (n >= 0)
            {
                data[n] ^= s[(s[i] + s[j]) % 256];
            }
        }
    }
}
