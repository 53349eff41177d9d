using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Metainfo;

/// <summary>BEP 46 magnet links: <c>xs=urn:btpk:&lt;public key hex&gt;</c> and an optional hex salt <c>s</c>.</summary>
public class MagnetLinkBep46Tests
{
    private const string KeyHex = "8543d3e6115f0f98c944077a4493dcd543e49c739fd998550a1f614ab36ed63e";
    private const string V1Hex = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";

    [Fact]
    public void A_public_key_alone_is_a_valid_link_with_no_info_hash()
    {
        var link = MagnetLink.Parse($"magnet:?xs=urn:btpk:{KeyHex}");

        Assert.False(link.HasInfoHashes);
        Assert.Equal(Convert.FromHexString(KeyHex), link.PublicKey.ToArray());
        Assert.True(link.Salt.IsEmpty);
        Assert.Empty(link.UnknownParameters);
        Assert.Throws<InvalidOperationException>(() => link.InfoHashes);
        Assert.Equal($"magnet:?xs=urn:btpk:{KeyHex}", link.ToUri());
    }

    [Fact]
    public void The_salt_is_hex_and_round_trips()
    {
        var link = MagnetLink.Parse($"magnet:?xs=urn:BTPK:{KeyHex.ToUpperInvariant()}&s=6E&dn=Channel");

        Assert.Equal(new byte[] { 0x6e }, link.Salt.ToArray());
        Assert.Equal("Channel", link.DisplayName);
        Assert.Empty(link.UnknownParameters);
        Assert.Equal($"magnet:?xs=urn:btpk:{KeyHex}&s=6e&dn=Channel", link.ToUri());
        Assert.Equal(link.ToUri(), MagnetLink.Parse(link.ToUri()).ToUri());
    }

    [Fact]
    public void With_an_xt_too_both_are_kept()
    {
        var link = MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Hex}&xs=urn:btpk:{KeyHex}&s=00ff");

        Assert.True(link.HasInfoHashes);
        Assert.Equal(InfoHash.FromHex(V1Hex), link.InfoHashes.V1);
        Assert.Equal(Convert.FromHexString(KeyHex), link.PublicKey.ToArray());
        Assert.Equal(new byte[] { 0, 0xff }, link.Salt.ToArray());
        Assert.Equal($"magnet:?xt=urn:btih:{V1Hex}&xs=urn:btpk:{KeyHex}&s=00ff", link.ToUri());
    }

    [Theory]
    [InlineData("xs=urn:btpk:8543d3e6115f0f98c944077a4493dcd543e49c739fd998550a1f614ab36ed63")]
    [InlineData("xs=urn:btpk:8543d3e6115f0f98c944077a4493dcd543e49c739fd998550a1f614ab36ed63e00")]
    [InlineData("xs=urn:btpk:zz43d3e6115f0f98c944077a4493dcd543e49c739fd998550a1f614ab36ed63e")]
    [InlineData("xs=urn:btpk:")]
    [InlineData("xs=urn:btpk:8543d3e6115f0f98c944077a4493dcd543e49c739fd998550a1f614ab36ed63e&xs=urn:btpk:0000000000000000000000000000000000000000000000000000000000000000")]
    public void A_malformed_or_conflicting_key_is_an_invalid_hash(string query)
    {
        var e = Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse("magnet:?" + query));
        Assert.Equal(ErrorCode.MagnetInvalidHash, e.ErrorCode);
    }

    [Theory]
    [InlineData("s=6")]
    [InlineData("s=xyz0")]
    [InlineData("s=6e&s=6f")]
    public void A_malformed_or_conflicting_salt_is_an_invalid_parameter(string salt)
    {
        var e = Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse($"magnet:?xs=urn:btpk:{KeyHex}&{salt}"));
        Assert.Equal(ErrorCode.MagnetInvalidParameter, e.ErrorCode);
    }

    [Fact]
    public void A_salt_over_64_bytes_is_refused_and_64_is_taken()
    {
        Assert.Equal(64, MagnetLink.Parse($"magnet:?xs=urn:btpk:{KeyHex}&s={new string('a', 128)}").Salt.Length);
        var e = Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse($"magnet:?xs=urn:btpk:{KeyHex}&s={new string('a', 130)}"));
        Assert.Equal(ErrorCode.MagnetInvalidParameter, e.ErrorCode);
    }

    [Fact]
    public void Without_a_public_key_s_and_other_xs_stay_unknown_as_before()
    {
        var link = MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Hex}&s=not-hex&xs=http://example.org/a.torrent");

        Assert.True(link.PublicKey.IsEmpty);
        Assert.Equal(["s", "xs"], link.UnknownParameters.Select(p => p.Key));
    }

    [Theory]
    [InlineData("magnet:?dn=nothing")]
    [InlineData("magnet:?xs=http://example.org/a.torrent&s=6e")]
    public void Neither_xt_nor_a_public_key_is_still_a_missing_hash(string uri)
    {
        var e = Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse(uri));
        Assert.Equal(ErrorCode.MagnetMissingHash, e.ErrorCode);
    }

    [Fact]
    public void CreateMutable_builds_the_link_keygen_prints()
    {
        var link = MagnetLink.CreateMutable(Convert.FromHexString(KeyHex), "n"u8, "Updates");

        Assert.Equal($"magnet:?xs=urn:btpk:{KeyHex}&s=6e&dn=Updates", link.ToUri());
        Assert.Throws<ArgumentException>(() => MagnetLink.CreateMutable(new byte[31]));
        Assert.Throws<ArgumentException>(() => MagnetLink.CreateMutable(new byte[32], new byte[65]));
    }
}
