using System.Net;
using System.Text;
using GodotTorrent.Discovery;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Discovery;

/// <summary>BEP 14 messages: what we write reads back, libtorrent's shape reads, and hostile datagrams are refused without throwing.</summary>
public class LsdCodecTests
{
    private static readonly IPEndPoint V4Group = new(IPAddress.Parse("239.192.152.143"), 6771);
    private static readonly IPEndPoint V6Group = new(IPAddress.Parse("ff15::efc0:988f"), 6771);
    private const string Hash = "0123456789abcdef0123456789abcdef01234567";
    private const string Other = "fedcba9876543210fedcba9876543210fedcba98";

    [Fact]
    public void What_we_write_reads_back_with_every_hash_the_port_and_the_cookie()
    {
        var hashes = Enumerable.Range(1, LsdCodec.MaxInfoHashes).Select(i => new Id20(Enumerable.Repeat((byte)i, 20).ToArray())).ToList();

        var bytes = LsdCodec.Encode(V4Group, 51413, hashes, "1a2b3c4d");
        var message = LsdCodec.TryDecode(bytes);

        Assert.NotNull(message);
        Assert.Equal(51413, message.Port);
        Assert.Equal(hashes, message.InfoHashes);
        Assert.Equal("1a2b3c4d", message.Cookie);
    }

    [Fact]
    public void The_text_is_bep_14s_with_the_groups_host()
    {
        var text = Encoding.ASCII.GetString(LsdCodec.Encode(V6Group, 6881, [Id(Hash)], "c0ffee"));

        Assert.Equal($"BT-SEARCH * HTTP/1.1\r\nHost: [ff15::efc0:988f]:6771\r\nPort: 6881\r\nInfohash: {Hash}\r\ncookie: c0ffee\r\n\r\n\r\n", text);
        Assert.StartsWith("BT-SEARCH * HTTP/1.1\r\nHost: 239.192.152.143:6771\r\n", Encoding.ASCII.GetString(LsdCodec.Encode(V4Group, 6881, [Id(Hash)], "c")), StringComparison.Ordinal);
    }

    [Fact]
    public void Libtorrents_message_with_upper_case_hex_bare_newlines_and_unknown_headers_reads()
    {
        var message = Decode($"BT-SEARCH * HTTP/1.1\nHost: 239.192.152.143:6771\nX-Whatever: 1\nPort:6881\nInfohash: {Hash.ToUpperInvariant()}\nInfohash: {Other}\nInfohash: {Hash}\ncookie: 5e\n\n\n");

        Assert.NotNull(message);
        Assert.Equal(6881, message.Port);
        Assert.Equal([Id(Hash), Id(Other)], message.InfoHashes);
        Assert.Equal("5e", message.Cookie);
    }

    [Fact]
    public void A_message_without_a_cookie_reads_with_none()
    {
        var message = Decode($"BT-SEARCH * HTTP/1.1\r\nPort: 1\r\nInfohash: {Hash}\r\n\r\n");

        Assert.NotNull(message);
        Assert.Null(message.Cookie);
    }

    [Theory]
    [InlineData("")]
    [InlineData("M-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: " + Hash + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.0\r\nPort: 6881\r\nInfohash: " + Hash + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nInfohash: " + Hash + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 0\r\nInfohash: " + Hash + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 65536\r\nInfohash: " + Hash + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: -1\r\nInfohash: " + Hash + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 68a1\r\nInfohash: " + Hash + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 0006881\r\nInfohash: " + Hash + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nPort: 6882\r\nInfohash: " + Hash + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: 0123456789abcdef0123456789abcdef0123456\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: 0123456789abcdef0123456789abcdef012345678\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: 0123456789abcdef0123456789abcdef0123456g\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash " + Hash + "\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: " + Hash + "\r\ncookie: a\r\ncookie: b\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: " + Hash + "\r\ncookie: \r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\nInfohash: " + Hash + "\r\ncookie: caf\u00e9\r\n\r\n")]
    [InlineData("BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\n: x\r\nInfohash: " + Hash + "\r\n\r\n")]
    public void A_malformed_message_is_refused(string text)
    {
        Assert.Null(LsdCodec.TryDecode(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Too_many_hashes_headers_or_bytes_or_too_long_a_line_are_refused()
    {
        string head = "BT-SEARCH * HTTP/1.1\r\nPort: 6881\r\n";
        var hashes = Enumerable.Range(0, LsdCodec.MaxInfoHashes + 1).Select(i => $"Infohash: {i:x40}\r\n");
        Assert.Null(Decode(head + string.Concat(hashes) + "\r\n"));
        Assert.NotNull(Decode(head + string.Concat(hashes.Take(LsdCodec.MaxInfoHashes)) + "\r\n"));

        var headers = Enumerable.Range(0, LsdCodec.MaxHeaders).Select(i => $"X-{i}: y\r\n");
        Assert.Null(Decode(head + $"Infohash: {Hash}\r\n" + string.Concat(headers) + "\r\n"));

        Assert.Null(Decode(head + $"Infohash: {Hash}\r\nX-Long: {new string('a', LsdCodec.MaxLineLength)}\r\n\r\n"));
        Assert.Null(Decode(head + $"Infohash: {Hash}\r\ncookie: {new string('a', LsdCodec.MaxCookieLength + 1)}\r\n\r\n"));

        var big = Encoding.ASCII.GetBytes(head + $"Infohash: {Hash}\r\n\r\n" + new string(' ', LsdCodec.MaxDatagram));
        Assert.Null(LsdCodec.TryDecode(big));
        Assert.NotNull(LsdCodec.TryDecode(big.AsSpan(0, LsdCodec.MaxDatagram)));
    }

    [Fact]
    public void Random_and_mutated_datagrams_never_throw()
    {
        var random = new Random(14);
        var good = LsdCodec.Encode(V4Group, 6881, [Id(Hash), Id(Other)], "abc");
        var buffer = new byte[LsdCodec.MaxDatagram + 10];
        for (int i = 0; i < 20_000; i++)
        {
            int length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            _ = LsdCodec.TryDecode(buffer.AsSpan(0, length));

            var mutant = (byte[])good.Clone();
            for (int flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutant[random.Next(mutant.Length)] = (byte)random.Next(256);
            }

            _ = LsdCodec.TryDecode(mutant.AsSpan(0, random.Next(mutant.Length + 1)));
        }
    }

    private static LsdMessage? Decode(string text) => LsdCodec.TryDecode(Encoding.ASCII.GetBytes(text));

    private static Id20 Id(string hex) => new(Convert.FromHexString(hex));
}
