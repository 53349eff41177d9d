using System.Buffers;
using GodotTorrent.Bencoding;
using static GodotTorrent.Tests.Bencoding.BencodeSamples;

namespace GodotTorrent.Tests.Bencoding;

public class BencodeWriterTests
{
    [Theory]
    [InlineData(0L, "i0e")]
    [InlineData(7L, "i7e")]
    [InlineData(-7L, "i-7e")]
    [InlineData(long.MaxValue, "i9223372036854775807e")]
    [InlineData(long.MinValue, "i-9223372036854775808e")]
    public void EncodesIntegers(long value, string expected)
    {
        Assert.Equal(Bytes(expected), BencodeWriter.Encode(new BInteger(value)));
    }

    [Theory]
    [InlineData("", "0:")]
    [InlineData("spam", "4:spam")]
    [InlineData("\u0000\u00ff", "2:\u0000\u00ff")]
    public void EncodesStrings(string value, string expected)
    {
        Assert.Equal(Bytes(expected), BencodeWriter.Encode(new BString(Bytes(value))));
    }

    [Fact]
    public void EncodesListsInOrder()
    {
        var list = new BList([new BInteger(3), new BString("a"), new BList(), new BDictionary()]);
        Assert.Equal(Bytes("li3e1:aledee"), BencodeWriter.Encode(list));
    }

    [Fact]
    public void SortsDictionaryKeysByRawBytes()
    {
        var dictionary = new BDictionary();
        dictionary.Set(new BString(new byte[] { 0xFF }), new BInteger(1));
        dictionary.Set("ab", new BInteger(2));
        dictionary.Set("a", new BInteger(3));
        dictionary.Set("B", new BInteger(4));
        dictionary.Set("", new BInteger(5));

        // Byte order, not culture order: "" < "B" (0x42) < "a" < "ab" < 0xFF.
        Assert.Equal(Bytes("d0:i5e1:Bi4e1:ai3e2:abi2e1:\u00ffi1ee"), BencodeWriter.Encode(dictionary));
        Assert.Equal([0xFF], dictionary.Entries[0].Key.Bytes.ToArray());
    }

    [Fact]
    public void SortsKeysOfDecodedUnsortedDictionaries()
    {
        var decoded = BencodeReader.Decode(Bytes("d1:cd1:zi1e1:yi2ee1:ai3ee"));
        Assert.Equal(Bytes("d1:ai3e1:cd1:yi2e1:zi1eee"), BencodeWriter.Encode(decoded));
    }

    [Fact]
    public void WritesLargeStringsAcrossBufferSegments()
    {
        var bytes = new byte[300_000];
        new Random(3).NextBytes(bytes);
        var output = new ArrayBufferWriter<byte>(16);
        BencodeWriter.Write(output, new BList([new BString(bytes), new BInteger(1)]));

        var decoded = Assert.IsType<BList>(BencodeReader.Decode(output.WrittenSpan));
        Assert.Equal(bytes, Assert.IsType<BString>(decoded[0]).Bytes.ToArray());
    }

    [Fact]
    public void AppendsToExistingOutput()
    {
        var output = new ArrayBufferWriter<byte>();
        BencodeWriter.Write(output, new BInteger(1));
        BencodeWriter.Write(output, new BString("x"));
        Assert.Equal(Bytes("i1e1:x"), output.WrittenSpan.ToArray());
    }

    [Fact]
    public void RandomValuesRoundTrip()
    {
        var random = new Random(20240601);
        for (int i = 0; i < 2000; i++)
        {
            var value = RandomValue(random);
            var encoded = BencodeWriter.Encode(value);
            var decoded = BencodeReader.Decode(encoded);

            Assert.Equal(value, decoded);
            Assert.Equal(encoded, BencodeWriter.Encode(decoded));
            Assert.Equal(encoded.Length, decoded.SourceLength);
        }
    }

    [Fact]
    public void ValidSamplesReencodeCanonically()
    {
        foreach (var input in Valid)
        {
            var decoded = BencodeReader.Decode(input);
            var encoded = BencodeWriter.Encode(decoded);
            Assert.Equal(decoded, BencodeReader.Decode(encoded));
            Assert.Equal(input.Length, encoded.Length);
        }
    }
}
