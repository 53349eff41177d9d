using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Cli;

public sealed class MagnetCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Prints_one_line_that_parses_back_to_the_torrents_hashes_name_trackers_and_web_seeds()
    {
        string path = _temp.WriteFile("sample.torrent", CliTorrents.MultiFile());
        var torrent = TorrentInfo.Load(path);

        var result = await CliRunner.RunAsync("magnet", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.Single(result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var magnet = MagnetLink.Parse(result.Out.Trim());
        Assert.Equal(torrent.InfoHashes, magnet.InfoHashes);
        Assert.Equal("sample", magnet.DisplayName);
        Assert.Equal(torrent.Trackers.SelectMany(t => t), magnet.Trackers);
        Assert.Equal(torrent.WebSeeds, magnet.WebSeeds);
    }

    [Fact]
    public async Task A_magnet_link_is_printed_in_canonical_form()
    {
        var result = await CliRunner.RunAsync("magnet", "MAGNET:?dn=x&xt=urn:btih:0123456789ABCDEF0123456789ABCDEF01234567");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=x", result.Out.Trim());
    }
}
