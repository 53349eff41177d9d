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
}
