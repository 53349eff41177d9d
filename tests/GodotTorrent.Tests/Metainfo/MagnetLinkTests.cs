using System.Net;
using System.Text;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Metainfo;

public class MagnetLinkTests
{
    private const string V1Hex = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    private const string V2Hex = "caf1e1c30e81cb361b9ee167c4aa64228a7fa4fa9f6105232b28ad099f3a302e";

    private static readonly InfoHash V1 = InfoHash.FromHex(V1Hex);
    private static readonly InfoHash V2 = InfoHash.FromHex(V2Hex);

    [Fact]
    public void Parses_v1_hex_hash_and_display_name()
    {
        var link = MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Hex}&dn=Some%20Name");

        Assert.Equal(V1, link.InfoHashes.V1);
        Assert.Null(link.InfoHashes.V2);
        Assert.Equal("Some Name", link.DisplayName);
        Assert.Empty(link.Trackers);
        Assert.Empty(link.Peers);
        Assert.Null(link.ExactLength);
        Assert.Empty(link.SelectedFiles);
        Assert.Empty(link.UnknownParameters);
    }

    [Fact]
    public void Scheme_and_hash_hex_are_case_insensitive()
    {
        var link = MagnetLink.Parse($"MAGNET:?xt=urn:btih:{V1Hex.ToUpperInvariant()}");
        Assert.Equal(V1, link.InfoHashes.V1);
    }

    [Fact]
    public void Parses_base32_v1_hash()
    {
        var link = MagnetLink.Parse($"magnet:?xt=urn:btih:{V1.ToBase32()}");
        Assert.Equal(V1, link.InfoHashes.V1);

        var lower = MagnetLink.Parse($"magnet:?xt=urn:btih:{V1.ToBase32().ToLowerInvariant()}");
        Assert.Equal(V1, lower.InfoHashes.V1);
    }

    [Fact]
    public void Parses_v2_multihash()
    {
        var link = MagnetLink.Parse($"magnet:?xt=urn:btmh:1220{V2Hex}");
        Assert.Null(link.InfoHashes.V1);
        Assert.Equal(V2, link.InfoHashes.V2);
    }

    [Theory]
    [InlineData("xt", "xt")]
    [InlineData("xt.1", "xt.2")]
    [InlineData("xt.2", "xt")]
    public void Parses_hybrid_links_with_both_hashes(string firstName, string secondName)
    {
        var link = MagnetLink.Parse($"magnet:?{firstName}=urn:btih:{V1Hex}&{secondName}=urn:btmh:1220{V2Hex}");
        Assert.True(link.InfoHashes.IsHybrid);
        Assert.Equal(V1, link.InfoHashes.V1);
        Assert.Equal(V2, link.InfoHashes.V2);
    }

    [Fact]
    public void Parses_libtorrent_style_link_with_lower_case_escapes()
    {
        string uri = $"magnet:?xt=urn:btih:{V1Hex}&xt=urn:btmh:1220{V2Hex}&dn=name&tr=http%3a%2f%2f127.0.0.1%3a6969%2fannounce";
        var link = MagnetLink.Parse(uri);

        Assert.True(link.InfoHashes.IsHybrid);
        Assert.Equal("name", link.DisplayName);
        Assert.Equal(["http://127.0.0.1:6969/announce"], link.Trackers);
    }

    [Fact]
    public void Trackers_keep_order_and_drop_duplicates_including_indexed_names()
    {
        var link = MagnetLink.Parse(
            $"magnet:?xt=urn:btih:{V1Hex}&tr=udp%3A%2F%2Fb.example%3A80&tr.1=http://a.example/announce&tr=udp://b.example:80&tr=");

        Assert.Equal(["udp://b.example:80", "http://a.example/announce"], link.Trackers);
    }

    [Fact]
    public void Plus_is_a_space_in_display_name_but_literal_in_urls()
    {
        var link = MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Hex}&dn=My+Map+v2&tr=http://t.example/a?k=a+b&ws=http://w.example/c++");

        Assert.Equal("My Map v2", link.DisplayName);
        Assert.Equal("http://t.example/a?k=a+b", link.Trackers[0]);
        Assert.Equal("http://w.example/c++", link.WebSeeds[0]);
    }

    [Fact]
    public void Display_name_is_utf8_decoded()
    {
        var link = MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Hex}&dn=%E3%83%9E%E3%83%83%E3%83%97%20%C3%A9");
        Assert.Equal("マップ é", link.DisplayName);
    }

    [Fact]
    public void Web_seeds_are_decoded_and_deduplicated()
    {
        var link = MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Hex}&ws=http%3A%2F%2Fcdn.example%2Ffiles%2F&ws=http://cdn.example/files/&ws=https://b.example/x%20y");
        Assert.Equal(["http://cdn.example/files/", "https://b.example/x y"], link.WebSeeds);
    }

    [Fact]
    public void Parses_ipv4_ipv6_and_host_name_peers()
    {
        var link = MagnetLink.Parse(
            $"magnet:?xt=urn:btih:{V1Hex}&x.pe=10.0.0.1:6881&x.pe=%5B2001:db8::1%5D:51413&x.pe=[::1]:80&x.pe=peer.example.org:6881&x.pe=10.0.0.1:6881");

        Assert.Equal(
            [new IPEndPoint(IPAddress.Parse("10.0.0.1"), 6881), new IPEndPoint(IPAddress.Parse("2001:db8::1"), 51413), new IPEndPoint(IPAddress.IPv6Loopback, 80)],
            link.Peers);
        Assert.Equal(["peer.example.org:6881"], link.PeerHostNames);
    }

    [Fact]
    public void Peers_cannot_be_changed_through_the_returned_endpoints()
    {
        var link = MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Hex}&x.pe=10.0.0.1:6881");
        link.Peers[0].Port = 1;
        Assert.Equal(6881, link.Peers[0].Port);
        Assert.Contains("x.pe=10.0.0.1:6881", link.ToUri(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("10.0.0.1:")]
    [InlineData("10.0.0.1:0")]
    [InlineData("10.0.0.1:65536")]
    [InlineData("10.0.0.1:-5")]
    [InlineData("10.0.0.1:http")]
    [InlineData("300.0.0.1:80")]
    [InlineData("127.1:80")]
    [InlineData("::1:80")]
    [InlineData("[::1]80")]
    [InlineData("[::1:80")]
    [InlineData("[10.0.0.1]:80")]
    [InlineData("[::1]:999999")]
    [InlineData("bad_host!:80")]
    [InlineData(":80")]
    public void Malformed_peer_is_MagnetInvalidPeer(string peer)
    {
        string prefix = $"magnet:?xt=urn:btih:{V1Hex}&x.pe=";
        var e = Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse(prefix + Uri.EscapeDataString(peer)));
        Assert.Equal(ErrorCode.MagnetInvalidPeer, e.ErrorCode);
        Assert.Equal(prefix.Length, e.Offset);
    }

    [Fact]
    public void Exact_length_is_parsed()
    {
        Assert.Equal(1234567890123, MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Hex}&xl=1234567890123").ExactLength);
        Assert.Equal(0, MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Hex}&xl=0").ExactLength);
    }

    [Theory]
    [InlineData("xl=")]
    [InlineData("xl=-1")]
    [InlineData("xl=12a")]
    [InlineData("xl=99999999999999999999")]
    [InlineData("xl=5&xl=6")]
    public void Malformed_exact_length_is_MagnetInvalidParameter(string parameter)
    {
        var e = Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Hex}&{parameter}"));
        Assert.Equal(ErrorCode.MagnetInvalidParameter, e.ErrorCode);
    }

    [Fact]
    public void File_selection_is_parsed_sorted_and_merged()
    {
        var link = MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Hex}&so=0,2,4-6");
        Assert.Equal([new FileSelectionRange(0, 0), new FileSelectionRange(2, 2), new FileSelectionRange(4, 6)], link.SelectedFiles);

        var merged = MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Hex}&so=7,4-6,1-2%2C3&so=10-12,11");
        Assert.Equal([new FileSelectionRange(1, 7), new FileSelectionRange(10, 12)], merged.SelectedFiles);
        Assert.Contains("so=1-7%2C10-12", merged.ToUri(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("so=")]
    [InlineData("so=1,")]
    [InlineData("so=,1")]
    [InlineData("so=6-4")]
    [InlineData("so=-4")]
    [InlineData("so=4-")]
    [InlineData("so=1-2-3")]
    [InlineData("so=a")]
    [InlineData("so=+1")]
    [InlineData("so=99999999999")]
    public void Malformed_file_selection_is_MagnetInvalidParameter(string parameter)
    {
        string prefix = $"magnet:?xt=urn:btih:{V1Hex}&";
        var e = Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse(prefix + parameter));
        Assert.Equal(ErrorCode.MagnetInvalidParameter, e.ErrorCode);
        Assert.Equal(prefix.Length + 3, e.Offset);
    }

    [Fact]
    public void File_selection_range_contains_both_ends()
    {
        var range = new FileSelectionRange(4, 6);
        Assert.False(range.Contains(3));
        Assert.True(range.Contains(4));
        Assert.True(range.Contains(6));
        Assert.False(range.Contains(7));
    }

    [Fact]
    public void Unknown_parameters_are_kept_in_order()
    {
        var link = MagnetLink.Parse(
            $"magnet:?xt=urn:btih:{V1Hex}&x.foo=bar%20baz&kt=a+b&as=http://a.example/f&xs=urn:foo&xt=urn:ed2k:abcd&flag&DN=upper");

        Assert.Equal(
            [
                new KeyValuePair<string, string>("x.foo", "bar baz"),
                new KeyValuePair<string, string>("kt", "a+b"),
                new KeyValuePair<string, string>("as", "http://a.example/f"),
                new KeyValuePair<string, string>("xs", "urn:foo"),
                new KeyValuePair<string, string>("xt", "urn:ed2k:abcd"),
                new KeyValuePair<string, string>("flag", string.Empty),
                new KeyValuePair<string, string>("DN", "upper"),
            ],
            link.UnknownParameters);
        Assert.Null(link.DisplayName);
    }

    [Fact]
    public void Surrounding_white_space_and_empty_parameters_are_ignored()
    {
        var link = MagnetLink.Parse($"  magnet:?&&xt=urn:btih:{V1Hex}&&dn=a&\n");
        Assert.Equal(V1, link.InfoHashes.V1);
        Assert.Equal("a", link.DisplayName);
        Assert.Empty(link.UnknownParameters);
    }

    [Fact]
    public void Same_hash_twice_is_accepted()
    {
        var link = MagnetLink.Parse($"magnet:?xt=urn:btih:{V1Hex}&xt.1=urn:btih:{V1.ToBase32()}");
        Assert.Equal(V1, link.InfoHashes.V1);
    }

    [Theory]
    [InlineData("http://example.com/?xt=urn:btih:" + V1Hex, 0)]
    [InlineData("magnet:xt=urn:btih:" + V1Hex, 0)]
    [InlineData("magnet", 0)]
    [InlineData("", 0)]
    [InlineData("   ", 3)]
    [InlineData("  magnet?:", 2)]
    public void Non_magnet_text_is_InvalidMagnet(string text, long offset)
    {
        var e = Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse(text));
        Assert.Equal(ErrorCode.InvalidMagnet, e.ErrorCode);
        Assert.Equal(offset, e.Offset);
    }

    [Theory]
    [InlineData("magnet:?")]
    [InlineData("magnet:?dn=x&tr=http://t.example/")]
    [InlineData("magnet:?xt=urn:sha1:ABCDEFGH")]
    [InlineData("magnet:?XT=urn:btih:" + V1Hex)]
    public void Link_without_bittorrent_hash_is_MagnetMissingHash(string text)
    {
        var e = Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse(text));
        Assert.Equal(ErrorCode.MagnetMissingHash, e.ErrorCode);
    }

    [Theory]
    [InlineData("xt=urn:btih:" + "c12fe1c06bba254a9dc9f519b335aa7c1367a88")]
    [InlineData("xt=urn:btih:" + "c12fe1c06bba254a9dc9f519b335aa7c1367a88a0")]
    [InlineData("xt=urn:btih:" + "g12fe1c06bba254a9dc9f519b335aa7c1367a88a")]
    [InlineData("xt=urn:btih:" + "YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKE1")]
    [InlineData("xt=urn:btih:")]
    [InlineData("xt=urn:btmh:" + V2Hex)]
    [InlineData("xt=urn:btmh:1120" + V2Hex)]
    [InlineData("xt=urn:btmh:1220" + V2Hex + "00")]
    [InlineData("xt=urn:btmh:1220" + "z" + V1Hex + "c12fe1c06bba254a9dc9f51")]
    [InlineData("xt=" + V1Hex)]
    [InlineData("xt")]
    public void Malformed_hash_is_MagnetInvalidHash(string parameter)
    {
        var e = Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse("magnet:?" + parameter));
        Assert.Equal(ErrorCode.MagnetInvalidHash, e.ErrorCode);
        Assert.Equal(Math.Min(parameter.Length, 3) + 8, e.Offset);
    }

    [Theory]
    [InlineData("xt=urn:btih:" + V1Hex + "&xt=urn:btih:0000000000000000000000000000000000000000")]
    [InlineData("xt=urn:btmh:1220" + V2Hex + "&xt.2=urn:btmh:12200000000000000000000000000000000000000000000000000000000000000000")]
    public void Two_different_hashes_of_one_version_are_MagnetInvalidHash(string parameters)
    {
        var e = Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse("magnet:?" + parameters));
        Assert.Equal(ErrorCode.MagnetInvalidHash, e.ErrorCode);
    }

    [Theory]
    [InlineData("dn=%", 11)]
    [InlineData("dn=ab%4", 13)]
    [InlineData("dn=%zz", 11)]
    [InlineData("d%n=x", 9)]
    [InlineData("dn=%C3%28", 11)]
    public void Bad_escapes_and_invalid_utf8_are_MagnetInvalidParameter(string parameter, long offset)
    {
        var e = Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse($"magnet:?{parameter}&xt=urn:btih:{V1Hex}"));
        Assert.Equal(ErrorCode.MagnetInvalidParameter, e.ErrorCode);
        Assert.Equal(offset, e.Offset);
    }

    [Fact]
    public void Escaped_hash_is_decoded_first()
    {
        var link = MagnetLink.Parse($"magnet:?xt=urn%3Abtih%3A{V1Hex}");
        Assert.Equal(V1, link.InfoHashes.V1);
    }

    [Fact]
    public void Limits_are_InvalidMagnet()
    {
        string tooLong = $"magnet:?xt=urn:btih:{V1Hex}&dn=" + new string('a', MagnetLink.MaxLength);
        Assert.Equal(ErrorCode.InvalidMagnet, Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse(tooLong)).ErrorCode);

        var builder = new StringBuilder($"magnet:?xt=urn:btih:{V1Hex}");
        for (int i = 1; i < MagnetLink.MaxParameters; i++)
        {
            builder.Append("&x=1");
        }

        Assert.NotNull(MagnetLink.Parse(builder.ToString()));
        builder.Append("&x=1");
        var e = Assert.Throws<TorrentFormatException>(() => MagnetLink.Parse(builder.ToString()));
        Assert.Equal(ErrorCode.InvalidMagnet, e.ErrorCode);
        Assert.Equal(builder.Length - 3, e.Offset);
    }

    [Fact]
    public void TryParse_reports_failure_without_throwing()
    {
        Assert.False(MagnetLink.TryParse(null, out var link));
        Assert.Null(link);
        Assert.False(MagnetLink.TryParse("magnet:?dn=x", out link));
        Assert.Null(link);
        Assert.True(MagnetLink.TryParse($"magnet:?xt=urn:btih:{V1Hex}", out link));
        Assert.Equal(V1, link.InfoHashes.V1);
    }

    [Fact]
    public void ToUri_writes_canonical_form()
    {
        var link = MagnetLink.Parse(
            $"magnet:?so=3&xl=10&x.pe=[::1]:80&ws=http://w.example/&tr=http%3a%2f%2ft.example%2fa%3fk%3d1%26b%3d2&dn=A%20b%2Bc&xt=urn:btmh:1220{V2Hex.ToUpperInvariant()}&x.foo=1&xt=urn:btih:{V1.ToBase32()}");

        Assert.Equal(
            $"magnet:?xt=urn:btih:{V1Hex}&xt=urn:btmh:1220{V2Hex}&dn=A%20b%2Bc&tr=http://t.example/a%3Fk%3D1%26b%3D2"
            + "&ws=http://w.example/&x.pe=%5B::1%5D:80&xl=10&so=3&x.foo=1",
            link.ToUri());
        Assert.Equal(link.ToUri(), link.ToString());
    }

    [Theory]
    [InlineData("magnet:?xt=urn:btih:" + V1Hex)]
    [InlineData("magnet:?xt=urn:btmh:1220" + V2Hex + "&dn=%F0%9F%8E%AE+game&tr=udp://t:1&tr.2=http://x/a?b=c%26d")]
    [InlineData("magnet:?xt=urn:btih:" + V1Hex + "&xt=urn:btmh:1220" + V2Hex + "&ws=http://a/%20b&x.pe=1.2.3.4:5&x.pe=[fe80::1]:6&x.pe=Host-1.example:7&xl=99&so=5,1-3&a%26b=c%3Dd&e=&=f")]
    public void Parse_of_ToUri_gives_back_an_equal_link(string uri)
    {
        var link = MagnetLink.Parse(uri);
        AssertSameLink(link, MagnetLink.Parse(link.ToUri()));
    }

    [Fact]
    public void Create_builds_a_link_that_round_trips()
    {
        var peers = new[] { new IPEndPoint(IPAddress.Parse("192.168.1.2"), 6881), new IPEndPoint(IPAddress.Parse("2001:db8::2"), 7000), new IPEndPoint(IPAddress.Parse("192.168.1.2"), 6881) };
        var link = MagnetLink.Create(
            new InfoHashes(V1, V2),
            "Mod pack + extras & more",
            ["http://tracker.example:8080/announce?passkey=a&b", "udp://t.example:6969", "udp://t.example:6969", string.Empty],
            ["https://cdn.example/mods/"],
            peers);

        Assert.Equal("Mod pack + extras & more", link.DisplayName);
        Assert.Equal(["http://tracker.example:8080/announce?passkey=a&b", "udp://t.example:6969"], link.Trackers);
        Assert.Equal(2, link.Peers.Count);
        peers[0].Port = 1;
        Assert.Equal(6881, link.Peers[0].Port);

        AssertSameLink(link, MagnetLink.Parse(link.ToUri()));
    }

    [Fact]
    public void Create_treats_empty_name_as_none_and_rejects_bad_input()
    {
        Assert.Null(MagnetLink.Create(new InfoHashes(V1, null), string.Empty).DisplayName);
        Assert.Throws<ArgumentException>(() => MagnetLink.Create(new InfoHashes(V1, null), peers: [new IPEndPoint(IPAddress.Loopback, 0)]));
        Assert.Throws<ArgumentException>(() => MagnetLink.Create(new InfoHashes(V1, null), trackers: [null!]));
        Assert.Throws<ArgumentNullException>(() => MagnetLink.Create(null!));
    }

    [Fact]
    public void Randomly_mutated_links_only_throw_TorrentFormatException()
    {
        string[] seeds =
        [
            $"magnet:?xt=urn:btih:{V1Hex}&xt=urn:btmh:1220{V2Hex}&dn=name&tr=http%3a%2f%2f127.0.0.1%3a6969%2fannounce",
            $"magnet:?xt=urn:btih:{V1.ToBase32()}&dn=%E3%83%9E+x&x.pe=[2001:db8::1]:51413&x.pe=10.0.0.1:6881&x.pe=host.example:1",
            $"magnet:?xt.1=urn:btih:{V1Hex}&so=0,2,4-6&xl=123&ws=http://w/&kt=a+b&x.foo=%20",
        ];
        const string Alphabet = "%&=+:/[]-.,0123456789abcdefABCDEFxtrnbihmXT\u00e9\u00ff\ud83c ";
        var random = new Random(20240917);
        int successes = 0;
        for (int i = 0; i < 20_000; i++)
        {
            var text = new StringBuilder(seeds[random.Next(seeds.Length)]);
            int edits = random.Next(1, 5);
            for (int j = 0; j < edits && text.Length > 0; j++)
            {
                int at = random.Next(text.Length);
                switch (random.Next(4))
                {
                    case 0:
                        text[at] = Alphabet[random.Next(Alphabet.Length)];
                        break;
                    case 1:
                        text.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                        break;
                    case 2:
                        text.Remove(at, Math.Min(text.Length - at, random.Next(1, 8)));
                        break;
                    default:
                        text.Length = at;
                        break;
                }
            }

            string uri = text.ToString();
            try
            {
                var link = MagnetLink.Parse(uri);
                successes++;
                AssertSameLink(link, MagnetLink.Parse(link.ToUri()));
            }
            catch (TorrentFormatException e)
            {
                Assert.NotEqual(ErrorCode.None, e.ErrorCode);
                Assert.False(MagnetLink.TryParse(uri, out _));
            }
        }

        // The mutations should leave a fair share parseable, so the round-trip check is exercised too.
        Assert.InRange(successes, 1_000, 19_000);
    }

    private static void AssertSameLink(MagnetLink expected, MagnetLink actual)
    {
        Assert.Equal(expected.InfoHashes, actual.InfoHashes);
        Assert.Equal(expected.DisplayName, actual.DisplayName);
        Assert.Equal(expected.Trackers, actual.Trackers);
        Assert.Equal(expected.WebSeeds, actual.WebSeeds);
        Assert.Equal(expected.Peers, actual.Peers);
        Assert.Equal(expected.PeerHostNames, actual.PeerHostNames);
        Assert.Equal(expected.ExactLength, actual.ExactLength);
        Assert.Equal(expected.SelectedFiles, actual.SelectedFiles);
        Assert.Equal(expected.UnknownParameters, actual.UnknownParameters);
    }
}
