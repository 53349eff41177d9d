using System.Text;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Wire;

public class PeerIdTests
{
    [Fact]
    public void Generated_ids_carry_our_prefix_and_random_printable_rest()
    {
        var a = PeerId.Generate();
        var b = PeerId.Generate();
        Assert.NotEqual(a, b);
        string text = Encoding.ASCII.GetString(a.ToArray());
        Assert.StartsWith("-GT0100-", text, StringComparison.Ordinal);
        Assert.All(text[8..], c => Assert.True(char.IsAsciiLetterOrDigit(c)));
        Assert.Equal("Godot-Torrent 0.1.0", a.ClientName);
        Assert.Equal(a, new PeerId(a.ToArray()));
        Assert.True(a.Equals(a.ToArray()));
        Assert.Equal(text, a.ToString());
        Assert.StartsWith("-XY", Encoding.ASCII.GetString(PeerId.Generate("-XY1234-").ToArray()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-GT0100-toolong")]
    [InlineData("-GT\u00e90-")]
    [InlineData("-GT\n100-")]
    public void Bad_prefixes_are_refused(string prefix) =>
        Assert.Throws<ArgumentException>(() => PeerId.Generate(prefix));

    [Theory]
    [InlineData("-LT2080-", "libtorrent 2.0.8")]
    [InlineData("-LT1217-", "libtorrent 1.2.1.7")]
    [InlineData("-LT12A0-", "libtorrent 1.2.10")]
    [InlineData("-lt0D80-", "libTorrent (rakshasa) 0.13.8")]
    [InlineData("-TR3000-", "Transmission 3.00")]
    [InlineData("-TR294Z-", "Transmission 2.94+")]
    [InlineData("-TR0072-", "Transmission 0.72")]
    [InlineData("-TR0006-", "Transmission 0.6")]
    [InlineData("-TR4050-", "Transmission 4.0.5")]
    [InlineData("-qB4630-", "qBittorrent 4.6.3")]
    [InlineData("-UT355W-", "\u00b5Torrent 3.5.5")]
    [InlineData("-WW0109-", "WebTorrent 1.9")]
    [InlineData("-AZ5770-", "Vuze 5.7.7")]
    [InlineData("-BC0200-", "BitComet 2.00")]
    [InlineData("-DE13D0-", "Deluge 1.3.13")]
    [InlineData("-GT0100-", "Godot-Torrent 0.1.0")]
    [InlineData("-ZZ1234-", "Unknown (-ZZ1234-)")]
    [InlineData("A2-1-36-0-", "aria2 1.36.0")]
    [InlineData("A2-1-9-10-", "aria2 1.9.10")]
    [InlineData("M7-2-0--", "Mainline 7.2.0")]
    [InlineData("M4-20-8-", "Mainline 4.20.8")]
    [InlineData("S58B-----", "Shadow 5.8.11")]
    [InlineData("T03I-----", "BitTornado 0.3.18")]
    [InlineData("A310-----", "ABC 3.1.0")]
    [InlineData("XBT054d-", "Unknown (XBT054d-)")]
    [InlineData("-LT20", "Unknown (-LT20)")]
    [InlineData("S--------", "Unknown (S-------)")]
    [InlineData("M7-2", "Unknown (M7-2)")]
    public void Client_names_follow_the_common_conventions(string prefix, string expected)
    {
        var id = new byte[20];
        "0123456789abcdefghij"u8.CopyTo(id);
        Encoding.Latin1.GetBytes(prefix).CopyTo(id, 0);
        if (prefix.Length < 8)
        {
            // A prefix shorter than the convention needs must not borrow from the random tail.
            Assert.Equal(expected, PeerClientName.FromPeerId(Encoding.Latin1.GetBytes(prefix)));
            return;
        }

        Assert.Equal(expected, new PeerId(id).ClientName);
    }

    [Fact]
    public void Binary_ids_are_unknown_with_hex()
    {
        var id = new byte[20];
        id[0] = 0xFF;
        Assert.Equal("Unknown (ff00000000000000)", new PeerId(id).ClientName);
        Assert.StartsWith("\\xff\\x00", new PeerId(id).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Random_ids_never_throw()
    {
        var random = new Random(20);
        var id = new byte[20];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(id);
            if (i % 2 == 0)
            {
                "-A"u8.CopyTo(id);
                id[7] = (byte)'-';
            }

            Assert.NotEmpty(PeerClientName.FromPeerId(id.AsSpan(0, random.Next(21))));
        }
    }
}
