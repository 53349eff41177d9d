using GodotTorrent.Discovery;
using GodotTorrent.Metainfo;
using GodotTorrent.Tests.Cli;

namespace GodotTorrent.Tests.Discovery;

public sealed class TrackerAnnouncerTests
{
    private static async Task<TorrentInfo> CreateAsync(bool isPrivate)
    {
        using var temp = new TempFolder();
        string file = temp.WriteFile("data.bin", new byte[5_000]);
        return await TorrentCreator.CreateAsync(file, new TorrentCreatorOptions
        {
            Trackers = [["http://a/announce", "http://b/announce"], ["udp://c:1"]],
            IsPrivate = isPrivate,
        });
    }

    private static MagnetLink Magnet(TorrentInfo torrent) =>
        MagnetLink.Create(torrent.InfoHashes, "data.bin", trackers: ["http://b/announce", "http://m/announce"]);

    [Fact]
    public async Task A_magnet_without_metadata_uses_each_of_its_trackers_as_a_tier()
    {
        var torrent = await CreateAsync(isPrivate: false);

        var tiers = TrackerAnnouncer.TiersFor(null, Magnet(torrent));

        Assert.Equal([["http://b/announce"], ["http://m/announce"]], tiers.Select(t => t.ToArray()).ToArray());
    }

    [Fact]
    public async Task A_public_torrent_adds_the_magnets_trackers_it_does_not_have_after_its_own()
    {
        var torrent = await CreateAsync(isPrivate: false);

        var tiers = TrackerAnnouncer.TiersFor(torrent, Magnet(torrent));

        Assert.Equal([["http://a/announce", "http://b/announce"], ["udp://c:1"], ["http://m/announce"]], tiers.Select(t => t.ToArray()).ToArray());
    }

    [Fact]
    public async Task A_private_torrent_uses_only_its_own_trackers()
    {
        var torrent = await CreateAsync(isPrivate: true);

        var tiers = TrackerAnnouncer.TiersFor(torrent, Magnet(torrent));

        Assert.Equal([["http://a/announce", "http://b/announce"], ["udp://c:1"]], tiers.Select(t => t.ToArray()).ToArray());
    }
}
