using System.Text;
using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Metainfo;

/// <summary>
/// The common v1 files-list entry and v2 top-level file are read straight from the input
/// (<see cref="BencodeItemReader"/>); any other shape goes through the decoder. An entry with
/// one more key (<c>zz</c>, which the parser ignores) always takes the decoder's way, so it is
/// the oracle: with and without the key, the same files or the same error.
/// </summary>
public class FastEntryTests
{
    private static readonly string Root = new('r', 32);

    [Theory]
    [InlineData("6:lengthi5e4:pathl5:a.txte")]
    [InlineData("6:lengthi0e4:pathl1:a1:b5:c.bine")]
    [InlineData("6:lengthi999999999999999999e4:pathl1:ae")]
    [InlineData("6:lengthi1000000000000000000e4:pathl1:ae")]
    [InlineData("6:lengthi9223372036854775807e4:pathl1:ae")]
    [InlineData("6:lengthi9223372036854775808e4:pathl1:ae")]
    [InlineData("6:lengthi-1e4:pathl1:ae")]
    [InlineData("6:lengthi-0e4:pathl1:ae")]
    [InlineData("6:lengthi05e4:pathl1:ae")]
    [InlineData("6:lengthi5e4:pathle")]
    [InlineData("6:lengthi5e4:pathl1:a1:b1:c1:de")]
    [InlineData("6:lengthi5e4:pathl01:ae")]
    [InlineData("6:lengthi5e4:pathli1ee")]
    [InlineData("6:lengthi5e4:pathl2:..1:.0:e")]
    [InlineData("6:lengthi5e4:pathl3:a/b4:CON.e")]
    [InlineData("6:lengthi5e4:pathl2:\u00ff\u00fee")]
    [InlineData("6:length1:54:pathl1:ae")]
    [InlineData("4:pathl1:ae6:lengthi5e")]
    public void A_v1_entry_gives_what_the_decoder_gives(string entry)
    {
        var options = new TorrentParseOptions { MaxPathDepth = 3 };
        var fast = Outcome(V1("d" + entry + "e"), options);
        var decoded = Outcome(V1("d" + entry + "2:zzi0ee"), options);
        Assert.Equal(decoded, fast);
    }

    [Theory]
    [InlineData("6:lengthi16000e11:pieces root32:" + "ROOT")]
    [InlineData("6:lengthi0e")]
    [InlineData("6:lengthi10e")]
    [InlineData("6:lengthi-1e")]
    [InlineData("6:lengthi16000e11:pieces root31:" + "SHORT")]
    [InlineData("6:lengthi0e11:pieces root32:" + "ROOT")]
    public void A_v2_file_gives_what_the_decoder_gives(string leaf)
    {
        leaf = leaf.Replace("ROOT", Root, StringComparison.Ordinal).Replace("SHORT", Root[1..], StringComparison.Ordinal);
        foreach (var options in new[] { TorrentParseOptions.Default, new TorrentParseOptions { MaxPathDepth = 0 }, new TorrentParseOptions { MaxFiles = 1 } })
        {
            var fast = Outcome(V2("d0:d" + leaf + "ee"), options);
            var decoded = Outcome(V2("d0:d" + leaf + "2:zzi0eee"), options);
            Assert.Equal(decoded, fast);
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void A_depth_limit_inside_the_entries_is_reported_as_the_decoder_reports_it(int maxDepth)
    {
        var options = new TorrentParseOptions { MaxDepth = maxDepth };
        Assert.Equal(Outcome(V1("d6:lengthi5e4:pathl1:ae2:zzi0ee"), options), Outcome(V1("d6:lengthi5e4:pathl1:aee"), options));
    }

    // The files or the error, with what a caller can see of each.
    private static string Outcome(byte[] torrent, TorrentParseOptions options)
    {
        try
        {
            var info = TorrentInfo.Parse(torrent, options);
            return string.Join("|", info.Files.Select(f => $"{f.Path}:{f.OriginalPath}:{f.Length}:{f.Offset}:{f.Attributes}:{Convert.ToHexString(f.PiecesRoot.Span)}"));
        }
        catch (TorrentFormatException e)
        {
            return $"{e.ErrorCode}: {e.Message}";
        }
    }

    // Two entries, so the second file's offset and a name shared with the first are covered too.
    private static byte[] V1(string entry) =>
        Latin1($"d4:infod5:filesld6:lengthi7e4:pathl5:a.txtee{entry}e4:name1:n12:piece lengthi16384e6:pieces20:{new string('p', 20)}ee");

    private static byte[] V2(string node) =>
        Latin1($"d4:infod9:file treed1:a{node}e12:meta versioni2e4:name1:n12:piece lengthi16384eee");

    private static byte[] Latin1(string text) => Encoding.Latin1.GetBytes(text);
}
