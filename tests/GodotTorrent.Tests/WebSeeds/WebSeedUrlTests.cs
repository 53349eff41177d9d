using GodotTorrent.Metainfo;
using GodotTorrent.Tests.Session;
using GodotTorrent.WebSeeds;

namespace GodotTorrent.Tests.WebSeeds;

/// <summary>BEP 19 URLs: base URL, torrent name and path, each element percent-encoded as UTF-8. Real files (the torrents are created from them).</summary>
public sealed class WebSeedUrlTests
{
    [Theory]
    [InlineData("http://cdn.test/files", "http://cdn.test/files/my%20pack/dir/%C3%A9t%C3%A9%20%231%3F%25.bin")]
    [InlineData("http://cdn.test/files/", "http://cdn.test/files/my%20pack/dir/%C3%A9t%C3%A9%20%231%3F%25.bin")]
    public async Task MultiFileUrlsAddTheNameAndEncodeEachElement(string baseUrl, string expected)
    {
        await using var swarm = new SwarmFixture();
        var torrent = await swarm.CreateContentAsync(swarm.Folder("seed"), "my pack", [("dir/été #1?%.bin", 10), ("b.bin", 10)]);
        var file = torrent.Files.Single(f => f.Path.EndsWith(".bin", StringComparison.Ordinal) && f.Path.Contains("dir", StringComparison.Ordinal));

        Assert.Equal(expected, WebSeedUrl.ForFile(baseUrl, torrent, file));
    }

    [Theory]
    [InlineData("http://cdn.test/files/", "http://cdn.test/files/one%20file%C3%A9.bin")]
    [InlineData("http://cdn.test/files/other.bin", "http://cdn.test/files/other.bin")]
    [InlineData("https://cdn.test/x?token=a%20b", "https://cdn.test/x?token=a%20b")]
    public async Task SingleFileUrlIsTheUrlOrTheUrlPlusTheName(string baseUrl, string expected)
    {
        await using var swarm = new SwarmFixture();
        var path = Path.Combine(swarm.Folder("seed"), "one fileé.bin");
        await File.WriteAllBytesAsync(path, new byte[100]);
        var torrent = await TorrentCreator.CreateAsync(path, new TorrentCreatorOptions { PieceLength = 16384 });

        Assert.False(torrent.IsMultiFile);
        Assert.Equal(expected, WebSeedUrl.ForFile(baseUrl, torrent, torrent.Files[0]));
    }

    [Fact]
    public void DotSegmentsOfAHostileTorrentStayInsideTheWebSeedsFolder()
    {
        var file = new GodotTorrent.Bencoding.BDictionary();
        file.Set("length", new GodotTorrent.Bencoding.BInteger(10));
        file.Set("path", new GodotTorrent.Bencoding.BList([new GodotTorrent.Bencoding.BString(".."), new GodotTorrent.Bencoding.BString(".."), new GodotTorrent.Bencoding.BString("."), new GodotTorrent.Bencoding.BString("escaped")]));
        var info = new GodotTorrent.Bencoding.BDictionary();
        info.Set("name", new GodotTorrent.Bencoding.BString("pack"));
        info.Set("files", new GodotTorrent.Bencoding.BList([file]));
        info.Set("piece length", new GodotTorrent.Bencoding.BInteger(16384));
        info.Set("pieces", new GodotTorrent.Bencoding.BString(new byte[20]));
        var root = new GodotTorrent.Bencoding.BDictionary();
        root.Set("info", info);
        var torrent = TorrentInfo.Parse(GodotTorrent.Bencoding.BencodeWriter.Encode(root));

        string url = WebSeedUrl.ForFile("http://cdn.test/files/", torrent, torrent.Files[0]);

        Assert.Equal("http://cdn.test/files/pack/escaped", url);
        // What HttpClient puts on the request line.
        Assert.Equal("/files/pack/escaped", new Uri(url).PathAndQuery);
    }
}
