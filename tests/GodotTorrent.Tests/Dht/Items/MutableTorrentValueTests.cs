using System.Text;
using GodotTorrent.Dht.Items;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Dht.Items;

public class MutableTorrentValueTests
{
    private static readonly InfoHash Hash = InfoHash.FromHex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");

    [Fact]
    public void Encodes_the_bep46_dictionary_and_reads_it_back()
    {
        byte[] value = MutableTorrentValue.Encode(Hash);

        Assert.Equal("d2:ih20:", Encoding.Latin1.GetString(value, 0, 8));
        Assert.Equal(29, value.Length);
        Assert.True(MutableTorrentValue.TryRead(value, out var read));
        Assert.Equal(Hash, read);
    }

    [Fact]
    public void A_v2_hash_is_published_truncated_to_20_bytes()
    {
        var v2 = InfoHash.FromHex("caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e");
        Assert.True(MutableTorrentValue.TryRead(MutableTorrentValue.Encode(v2), out var read));
        Assert.Equal(v2.Truncated.ToArray(), read.Span.ToArray());
    }

    [Theory]
    [InlineData("i1e")]
    [InlineData("d2:ih3:abce")]
    [InlineData("d2:xx20:aaaaaaaaaaaaaaaaaaaae")]
    [InlineData("d2:ih20:aaaa")]
    [InlineData("")]
    public void Anything_else_is_not_a_torrent_version(string text)
    {
        Assert.False(MutableTorrentValue.TryRead(Encoding.ASCII.GetBytes(text), out _));
    }

    [Fact]
    public void Extra_keys_are_ignored()
    {
        byte[] value = Encoding.Latin1.GetBytes("d2:ih20:" + Encoding.Latin1.GetString(Hash.Span) + "1:ni3ee");
        Assert.True(MutableTorrentValue.TryRead(value, out var read));
        Assert.Equal(Hash, read);
    }
}
