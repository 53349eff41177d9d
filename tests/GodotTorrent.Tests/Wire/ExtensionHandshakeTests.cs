using System.Net;
using System.Text;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Wire;

public class ExtensionHandshakeTests
{
    [Fact]
    public void Round_trips_every_field()
    {
        var handshake = new ExtensionHandshake
        {
            Messages = new Dictionary<string, byte> { ["ut_metadata"] = 3, ["ut_pex"] = 1, ["lt_donthave"] = 0 },
            ClientName = "Godot-Torrent 0.1.0 \u00b5",
            ListenPort = 6881,
            MaxRequests = 500,
            YourIp = IPAddress.Parse("203.0.113.7"),
            Ipv4 = IPAddress.Parse("198.51.100.1"),
            Ipv6 = IPAddress.Parse("2001:db8::1"),
            MetadataSize = 31_235,
            UploadOnly = true,
        };
        var bytes = handshake.ToBytes();
        var parsed = ExtensionHandshake.Parse(bytes);
        Assert.Equal(handshake, parsed);
        Assert.Equal(3, parsed.GetMessageId("ut_metadata"));
        Assert.Equal(0, parsed.GetMessageId("lt_donthave"));
        Assert.Equal(0, parsed.GetMessageId("ut_holepunch"));
        Assert.StartsWith("d4:ipv44:", Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal(bytes, parsed.ToBytes());
    }

    [Fact]
    public void Parses_what_libtorrent_sends()
    {
        var payload = "d12:complete_agoi-1e1:md11:lt_donthavei7e10:share_modei8e11:upload_onlyi3e12:ut_holepunchi4e11:ut_metadatai2e6:ut_pexi1ee13:metadata_sizei5678e1:pi6881e4:reqqi500e11:upload_onlyi0e1:v17:libtorrent 2.0.106:yourip4:\u007f\u0000\u0000\u0001e"u8;
        var parsed = ExtensionHandshake.Parse(payload);
        Assert.Equal(6, parsed.Messages.Count);
        Assert.Equal(2, parsed.GetMessageId("ut_metadata"));
        Assert.Equal("libtorrent 2.0.10", parsed.ClientName);
        Assert.Equal(6881, parsed.ListenPort);
        Assert.Equal(500, parsed.MaxRequests);
        Assert.Equal(5678, parsed.MetadataSize);
        Assert.Equal(IPAddress.Loopback, parsed.YourIp);
        Assert.False(parsed.UploadOnly);
        Assert.Null(parsed.Ipv4);
    }

    [Fact]
    public void Wrong_types_and_impossible_values_are_ignored()
    {
        var payload = "d1:md1:ai-1e1:bi256e1:c3:abc1:di5ee1:pi70000e4:reqqi0e1:vi5e6:yourip3:abc4:ipv416:aaaaaaaaaaaaaaaa4:ipv64:abcd13:metadata_sizei-5e11:upload_only1:1e"u8;
        var parsed = ExtensionHandshake.Parse(payload);
        Assert.Equal(["d"], parsed.Messages.Keys);
        Assert.Null(parsed.ListenPort);
        Assert.Null(parsed.MaxRequests);
        Assert.Null(parsed.ClientName);
        Assert.Null(parsed.YourIp);
        Assert.Null(parsed.Ipv4);
        Assert.Null(parsed.Ipv6);
        Assert.Null(parsed.MetadataSize);
        Assert.False(parsed.UploadOnly);

        Assert.Empty(ExtensionHandshake.Parse("d1:mli1eee"u8).Messages);
        Assert.Empty(ExtensionHandshake.Parse("de"u8).Messages);
        Assert.Equal(2, ExtensionHandshake.Parse("d1:md1:ai2eee trailing"u8).GetMessageId("a"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("le")]
    [InlineData("i5e")]
    [InlineData("d1:m")]
    [InlineData("d1:md1:ai1e1:ai2eee")]
    [InlineData("xyz")]
    public void Malformed_payloads_are_an_invalid_extension_message(string payload)
    {
        var e = Assert.Throws<PeerProtocolException>(() => ExtensionHandshake.Parse(Encoding.Latin1.GetBytes(payload)));
        Assert.Equal(ErrorCode.InvalidExtensionMessage, e.ErrorCode);
    }

    [Fact]
    public void Hostile_sizes_are_capped_or_refused()
    {
        // A huge m within the decoder limits keeps only the first names.
        var text = new StringBuilder("d1:md");
        for (int i = 0; i < 1000; i++)
        {
            text.Append(CultureInfo(i)).Append("i1e");
        }

        text.Append("e1:v").Append(1000).Append(':').Append('x', 1000).Append('e');
        var parsed = ExtensionHandshake.Parse(Encoding.ASCII.GetBytes(text.ToString()));
        Assert.Equal(ExtensionHandshake.MaxExtensions, parsed.Messages.Count);
        Assert.Equal(ExtensionHandshake.MaxClientNameLength, parsed.ClientName!.Length);

        // Past them: too many elements, too deep, a string too long.
        var many = "d1:md" + string.Concat(Enumerable.Range(0, 5000).Select(CultureInfo).Select(k => k + "i1e")) + "ee";
        Assert.Equal(ErrorCode.InvalidExtensionMessage, Assert.Throws<PeerProtocolException>(() => ExtensionHandshake.Parse(Encoding.ASCII.GetBytes(many))).ErrorCode);
        var deep = "d1:x" + new string('l', 50) + new string('e', 50) + "e";
        Assert.Equal(ErrorCode.InvalidExtensionMessage, Assert.Throws<PeerProtocolException>(() => ExtensionHandshake.Parse(Encoding.ASCII.GetBytes(deep))).ErrorCode);
        var huge = "d1:v100000:" + new string('x', 100_000) + "e";
        Assert.Equal(ErrorCode.InvalidExtensionMessage, Assert.Throws<PeerProtocolException>(() => ExtensionHandshake.Parse(Encoding.ASCII.GetBytes(huge))).ErrorCode);
    }

    private static string CultureInfo(int i)
    {
        string key = "ext_" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);
        return key.Length.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":" + key;
    }
}
