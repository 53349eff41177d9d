using GodotTorrent.Bencoding;
using static GodotTorrent.Tests.Bencoding.BencodeSamples;

namespace GodotTorrent.Tests.Bencoding;

public class BencodeReaderTests
{
    [Theory]
    [InlineData("i0e", 0L)]
    [InlineData("i1e", 1L)]
    [InlineData("i-1e", -1L)]
    [InlineData("i42e", 42L)]
    [InlineData("i-42e", -42L)]
    [InlineData("i1700000000000e", 1_700_000_000_000L)]
    [InlineData("i9223372036854775807e", long.MaxValue)]
    [InlineData("i-9223372036854775808e", long.MinValue)]
    [InlineData("i-9223372036854775807e", long.MinValue + 1)]
    public void DecodesIntegers(string input, long expected)
    {
        var value = Assert.IsType<BInteger>(BencodeReader.Decode(Bytes(input)));
        Assert.Equal(expected, value.Value);
        Assert.Equal(0, value.SourceOffset);
        Assert.Equal(input.Length, value.SourceLength);
    }

    [Theory]
    [InlineData("0:", "")]
    [InlineData("4:spam", "spam")]
    [InlineData("3:i1e", "i1e")]
    [InlineData("5:a:b:e", "a:b:e")]
    [InlineData("10:0123456789", "0123456789")]
    [InlineData("4:\u0000\u00ff\u0080e", "\u0000\u00ff\u0080e")]
    public void DecodesStringsAsRawBytes(string input, string expected)
    {
        var value = Assert.IsType<BString>(BencodeReader.Decode(Bytes(input)));
        Assert.Equal(Bytes(expected), value.Bytes.ToArray());
        Assert.Equal(0, value.SourceOffset);
        Assert.Equal(input.Length, value.SourceLength);
    }

    [Fact]
    public void DecodesListsInOrder()
    {
        var list = Assert.IsType<BList>(BencodeReader.Decode(Bytes("li1e4:spamlei-2ee")));
        Assert.Equal(4, list.Count);
        Assert.Equal(1, Assert.IsType<BInteger>(list[0]).Value);
        Assert.Equal("spam", Assert.IsType<BString>(list[1]).Text);
        Assert.Empty(Assert.IsType<BList>(list[2]));
        Assert.Equal(-2, Assert.IsType<BInteger>(list[3]).Value);
    }

    [Fact]
    public void DecodesEmptyContainers()
    {
        Assert.Empty(Assert.IsType<BList>(BencodeReader.Decode(Bytes("le"))));
        Assert.Equal(0, Assert.IsType<BDictionary>(BencodeReader.Decode(Bytes("de"))).Count);
    }

    [Fact]
    public void DecodesDictionaries()
    {
        var dictionary = Assert.IsType<BDictionary>(BencodeReader.Decode(Bytes("d3:bar4:spam3:fooi42e0:le1:\u00ffdee")));
        Assert.Equal(4, dictionary.Count);
        Assert.Equal("spam", dictionary.Get<BString>("bar")?.Text);
        Assert.Equal(42, dictionary.Get<BInteger>("foo")?.Value);
        Assert.NotNull(dictionary.Get<BList>(""));
        Assert.True(dictionary.TryGetValue([0xFF], out var nested));
        Assert.IsType<BDictionary>(nested);
    }

    [Fact]
    public void AcceptsUnsortedKeysAndKeepsReadOrder()
    {
        var dictionary = Assert.IsType<BDictionary>(BencodeReader.Decode(Bytes("d1:ci3e1:ai1e1:bi2ee")));
        Assert.Equal(["c", "a", "b"], dictionary.Entries.Select(e => e.Key.Text));
    }

    [Fact]
    public void AcceptsManyUnsortedDistinctKeys()
    {
        // Enough out-of-order keys to move duplicate detection from a scan to a hash set.
        var text = "d" + string.Concat(Enumerable.Range(0, 200).Reverse().Select(i => S($"k{i:D3}") + "i0e")) + "e";
        var dictionary = Assert.IsType<BDictionary>(BencodeReader.Decode(Bytes(text)));
        Assert.Equal(200, dictionary.Count);
        Assert.Equal("k199", dictionary.Entries[0].Key.Text);
    }

    [Fact]
    public void DuplicateAmongManyUnsortedKeysIsRejected()
    {
        var body = string.Concat(Enumerable.Range(0, 40).Reverse().Select(i => S($"k{i:D3}") + "i0e"));
        var text = "d" + body + S("k017") + "i0ee";
        var error = Assert.Throws<BencodeException>(() => BencodeReader.Decode(Bytes(text)));
        Assert.Equal(ErrorCode.InvalidKey, error.ErrorCode);
        Assert.Equal(1 + body.Length, error.Offset);
    }

    [Theory]
    // Truncation.
    [InlineData("", ErrorCode.UnexpectedEnd, 0)]
    [InlineData("i", ErrorCode.UnexpectedEnd, 1)]
    [InlineData("i-", ErrorCode.UnexpectedEnd, 2)]
    [InlineData("i42", ErrorCode.UnexpectedEnd, 3)]
    [InlineData("i0", ErrorCode.UnexpectedEnd, 2)]
    [InlineData("3", ErrorCode.UnexpectedEnd, 1)]
    [InlineData("l", ErrorCode.UnexpectedEnd, 1)]
    [InlineData("li1e", ErrorCode.UnexpectedEnd, 4)]
    [InlineData("d", ErrorCode.UnexpectedEnd, 1)]
    [InlineData("d3:foo", ErrorCode.UnexpectedEnd, 6)]
    [InlineData("d3:fooi1e", ErrorCode.UnexpectedEnd, 9)]
    [InlineData("lld", ErrorCode.UnexpectedEnd, 3)]
    // Bytes that cannot start a value.
    [InlineData("x", ErrorCode.InvalidToken, 0)]
    [InlineData("e", ErrorCode.InvalidToken, 0)]
    [InlineData(" i1e", ErrorCode.InvalidToken, 0)]
    [InlineData("-3:abc", ErrorCode.InvalidToken, 0)]
    [InlineData("li1ex", ErrorCode.InvalidToken, 4)]
    [InlineData("d3:fooe", ErrorCode.InvalidToken, 6)]
    [InlineData("dxe", ErrorCode.InvalidToken, 1)]
    // Malformed integers.
    [InlineData("ie", ErrorCode.InvalidInteger, 1)]
    [InlineData("i-e", ErrorCode.InvalidInteger, 2)]
    [InlineData("i--1e", ErrorCode.InvalidInteger, 2)]
    [InlineData("i+1e", ErrorCode.InvalidInteger, 1)]
    [InlineData("i 1e", ErrorCode.InvalidInteger, 1)]
    [InlineData("i1 e", ErrorCode.InvalidInteger, 2)]
    [InlineData("i1.5e", ErrorCode.InvalidInteger, 2)]
    [InlineData("i1x2e", ErrorCode.InvalidInteger, 2)]
    [InlineData("i0x", ErrorCode.InvalidInteger, 2)]
    [InlineData("i1-e", ErrorCode.InvalidInteger, 2)]
    [InlineData("3x:abc", ErrorCode.InvalidInteger, 1)]
    [InlineData("3-:abc", ErrorCode.InvalidInteger, 1)]
    // Non-canonical numbers.
    [InlineData("i-0e", ErrorCode.NonCanonicalInteger, 2)]
    [InlineData("i-00e", ErrorCode.NonCanonicalInteger, 2)]
    [InlineData("i00e", ErrorCode.NonCanonicalInteger, 1)]
    [InlineData("i03e", ErrorCode.NonCanonicalInteger, 1)]
    [InlineData("i-03e", ErrorCode.NonCanonicalInteger, 2)]
    [InlineData("03:abc", ErrorCode.NonCanonicalInteger, 0)]
    [InlineData("00:", ErrorCode.NonCanonicalInteger, 0)]
    [InlineData("li1e01:ae", ErrorCode.NonCanonicalInteger, 4)]
    // 64-bit overflow, reported at the digit that does not fit.
    [InlineData("i9223372036854775808e", ErrorCode.IntegerOverflow, 19)]
    [InlineData("i-9223372036854775809e", ErrorCode.IntegerOverflow, 20)]
    [InlineData("i10000000000000000000e", ErrorCode.IntegerOverflow, 20)]
    [InlineData("i99999999999999999999e", ErrorCode.IntegerOverflow, 19)]
    [InlineData("i-99999999999999999999999999e", ErrorCode.IntegerOverflow, 20)]
    // Strings longer than what is left.
    [InlineData("3:ab", ErrorCode.StringTooLong, 0)]
    [InlineData("1:", ErrorCode.StringTooLong, 0)]
    [InlineData("l6:abcde", ErrorCode.StringTooLong, 1)]
    [InlineData("99999999999999999999999:a", ErrorCode.StringTooLong, 0)]
    [InlineData("2147483648:a", ErrorCode.StringTooLong, 0)]
    // Dictionary keys.
    [InlineData("di1ei2ee", ErrorCode.InvalidKey, 1)]
    [InlineData("dlei1ee", ErrorCode.InvalidKey, 1)]
    [InlineData("ddei1ee", ErrorCode.InvalidKey, 1)]
    [InlineData("d1:ai1e1:ai2ee", ErrorCode.InvalidKey, 7)]
    [InlineData("d1:bi1e1:ai2e1:bi3ee", ErrorCode.InvalidKey, 13)]
    [InlineData("d0:i1e0:i2ee", ErrorCode.InvalidKey, 6)]
    [InlineData("d1:ad1:xi1e1:xi2eee", ErrorCode.InvalidKey, 11)]
    // Bytes after the value.
    [InlineData("i1ei2e", ErrorCode.TrailingData, 3)]
    [InlineData("le ", ErrorCode.TrailingData, 2)]
    [InlineData("4:spam\0", ErrorCode.TrailingData, 6)]
    [InlineData("dee", ErrorCode.TrailingData, 2)]
    public void RejectsMalformedInput(string input, ErrorCode code, long offset)
    {
        var error = Assert.Throws<BencodeException>(() => BencodeReader.Decode(Bytes(input)));
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(offset, error.Offset);
        Assert.IsAssignableFrom<TorrentFormatException>(error);
    }

    [Fact]
    public void DeepNestingGivesDepthExceeded()
    {
        var input = new byte[100_000];
        input.AsSpan().Fill((byte)'l');
        var error = Assert.Throws<BencodeException>(() => BencodeReader.Decode(input));
        Assert.Equal(ErrorCode.DepthExceeded, error.ErrorCode);
        Assert.Equal(BencodeLimits.Default.MaxDepth, error.Offset);
    }

    [Fact]
    public void DepthLimitIsInclusive()
    {
        var limits = new BencodeLimits { MaxDepth = 3 };
        Assert.IsType<BList>(BencodeReader.Decode(Bytes("lldeee"), limits));
        var error = Assert.Throws<BencodeException>(() => BencodeReader.Decode(Bytes("llldeeee"), limits));
        Assert.Equal(ErrorCode.DepthExceeded, error.ErrorCode);
        Assert.Equal(3, error.Offset);
    }

    [Fact]
    public void DefaultDepthLimitAllowsSixtyFourLevels()
    {
        var input = Bytes(new string('l', 64) + new string('e', 64));
        Assert.IsType<BList>(BencodeReader.Decode(input));
    }

    [Fact]
    public void HugeDeclaredStringIsRejectedWithoutAllocating()
    {
        var input = Bytes("l2147483647:abcde");
        var smaller = Bytes("1000000:abc");
        Assert.Throws<BencodeException>(() => BencodeReader.Decode(input));

        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<BencodeException>(() => BencodeReader.Decode(input));
        var error2 = Assert.Throws<BencodeException>(() => BencodeReader.Decode(smaller));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(ErrorCode.StringTooLong, error.ErrorCode);
        Assert.Equal(1, error.Offset);
        Assert.Equal(ErrorCode.StringTooLong, error2.ErrorCode);
        Assert.Equal(0, error2.Offset);
        Assert.True(allocated < 100_000, $"allocated {allocated} bytes");
    }

    [Fact]
    public void StringLengthLimitIsInclusive()
    {
        var limits = new BencodeLimits { MaxStringLength = 3 };
        Assert.Equal("abc", Assert.IsType<BString>(BencodeReader.Decode(Bytes("3:abc"), limits)).Text);
        var error = Assert.Throws<BencodeException>(() => BencodeReader.Decode(Bytes("l4:spame"), limits));
        Assert.Equal(ErrorCode.StringTooLong, error.ErrorCode);
        Assert.Equal(1, error.Offset);
    }

    [Fact]
    public void ElementLimitCountsEveryValue()
    {
        var limits = new BencodeLimits { MaxElements = 3 };
        Assert.IsType<BList>(BencodeReader.Decode(Bytes("li1ei2ee"), limits));

        var error = Assert.Throws<BencodeException>(() => BencodeReader.Decode(Bytes("li1ei2ei3ee"), limits));
        Assert.Equal(ErrorCode.TooManyElements, error.ErrorCode);
        Assert.Equal(7, error.Offset);

        // Keys count too: dictionary, key, value, key.
        error = Assert.Throws<BencodeException>(() => BencodeReader.Decode(Bytes("d1:ai1e1:bi2ee"), limits));
        Assert.Equal(ErrorCode.TooManyElements, error.ErrorCode);
        Assert.Equal(7, error.Offset);
    }

    [Fact]
    public void ElementLimitStopsWideInput()
    {
        var limits = new BencodeLimits { MaxElements = 1000 };
        int count = limits.MaxElements;
        var input = new byte[2 + (2 * count)];
        input[0] = (byte)'l';
        for (int i = 0; i < count; i++)
        {
            input[1 + (2 * i)] = (byte)'l';
            input[2 + (2 * i)] = (byte)'e';
        }

        input[^1] = (byte)'e';
        var error = Assert.Throws<BencodeException>(() => BencodeReader.Decode(input, limits));
        Assert.Equal(ErrorCode.TooManyElements, error.ErrorCode);
        Assert.Equal(1 + (2 * (count - 1)), error.Offset);
    }

    [Fact]
    public void InputLengthLimit()
    {
        var limits = new BencodeLimits { MaxInputLength = 4 };
        Assert.Equal(10, Assert.IsType<BInteger>(BencodeReader.Decode(Bytes("i10e"), limits)).Value);
        var error = Assert.Throws<BencodeException>(() => BencodeReader.Decode(Bytes("i100e"), limits));
        Assert.Equal(ErrorCode.InputTooLarge, error.ErrorCode);
        Assert.Equal(4, error.Offset);
        error = Assert.Throws<BencodeException>(() => BencodeReader.DecodePrefix(Bytes("i1e12"), out _, limits));
        Assert.Equal(ErrorCode.InputTooLarge, error.ErrorCode);
    }

    [Fact]
    public void DecodePrefixStopsAfterTheFirstValue()
    {
        // A BEP 9 data message: the dictionary, then the raw metadata piece.
        var input = Bytes("d8:msg_typei1e5:piecei0e10:total_sizei3ee\u0001\u0002\u0003");
        var dictionary = Assert.IsType<BDictionary>(BencodeReader.DecodePrefix(input, out int consumed));
        Assert.Equal(input.Length - 3, consumed);
        Assert.Equal(consumed, dictionary.SourceLength);
        Assert.Equal(3, dictionary.Get<BInteger>("total_size")?.Value);

        var error = Assert.Throws<BencodeException>(() => BencodeReader.Decode(input));
        Assert.Equal(ErrorCode.TrailingData, error.ErrorCode);
        Assert.Equal(consumed, error.Offset);
    }

    [Theory]
    [InlineData("i1e", 3)]
    [InlineData("i1ei2e", 3)]
    [InlineData("0:0:", 2)]
    [InlineData("leeeee", 2)]
    [InlineData("4:spamxyz", 6)]
    public void DecodePrefixReportsConsumedBytes(string input, int expected)
    {
        BencodeReader.DecodePrefix(Bytes(input), out int consumed);
        Assert.Equal(expected, consumed);
    }

    [Theory]
    [InlineData("", ErrorCode.UnexpectedEnd, 0)]
    [InlineData("d1:a", ErrorCode.UnexpectedEnd, 4)]
    [InlineData("i01e", ErrorCode.NonCanonicalInteger, 1)]
    public void DecodePrefixStillRejectsMalformedValues(string input, ErrorCode code, long offset)
    {
        var error = Assert.Throws<BencodeException>(() => BencodeReader.DecodePrefix(Bytes(input), out _));
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(offset, error.Offset);
    }

    [Fact]
    public void InfoDictionaryRangeIsTheExactInputSliceEvenWithUnsortedKeys()
    {
        var input = TorrentLike();
        var root = Assert.IsType<BDictionary>(BencodeReader.Decode(input));
        var info = root.Get<BDictionary>("info")!;

        Assert.Equal(["name", "piece length", "files", "private", "pieces"], info.Entries.Select(e => e.Key.Text));
        var slice = input.AsSpan(info.SourceOffset, info.SourceLength);
        Assert.Equal((byte)'d', slice[0]);
        Assert.Equal((byte)'e', slice[^1]);
        Assert.Equal(info, BencodeReader.Decode(slice));

        // Re-encoding sorts the keys, so only the recorded range reproduces the bytes as received.
        Assert.False(slice.SequenceEqual(BencodeWriter.Encode(info)));
        int start = input.AsSpan().IndexOf(Bytes("4:infod")) + 6;
        Assert.Equal(start, info.SourceOffset);
        Assert.Equal(input.Length - start - (S("url-list").Length + S("http://seed.example/a/").Length + 3), info.SourceLength);
    }

    [Fact]
    public void EveryValueRecordsItsExactRange()
    {
        foreach (var input in Valid)
        {
            var root = BencodeReader.Decode(input);
            Assert.Equal(0, root.SourceOffset);
            Assert.Equal(input.Length, root.SourceLength);
            CheckRanges(input, root);
        }
    }

    [Fact]
    public void StringsOwnTheirBytes()
    {
        var input = Bytes("l4:spame");
        var list = Assert.IsType<BList>(BencodeReader.Decode(input));
        input.AsSpan().Clear();
        Assert.Equal("spam", Assert.IsType<BString>(list[0]).Text);
    }

    [Fact]
    public void ValidSamplesDecode()
    {
        foreach (var input in Valid)
        {
            Assert.NotNull(BencodeReader.Decode(input));
        }
    }

    private static void CheckRanges(byte[] input, BValue value)
    {
        Assert.InRange(value.SourceOffset, 0, input.Length - 1);
        Assert.InRange(value.SourceLength, 1, input.Length - value.SourceOffset);
        var slice = input.AsSpan(value.SourceOffset, value.SourceLength);
        Assert.Equal(value, BencodeReader.Decode(slice));

        switch (value)
        {
            case BList list:
                foreach (var item in list)
                {
                    CheckRanges(input, item);
                }

                break;
            case BDictionary dictionary:
                foreach (var entry in dictionary.Entries)
                {
                    CheckRanges(input, entry.Key);
                    CheckRanges(input, entry.Value);
                    Assert.Equal(entry.Key.SourceOffset + entry.Key.SourceLength, entry.Value.SourceOffset);
                }

                break;
            default:
                // Scalars have one encoding, so their range must re-encode to the same bytes.
                Assert.Equal(slice.ToArray(), BencodeWriter.Encode(value));
                break;
        }
    }
}
