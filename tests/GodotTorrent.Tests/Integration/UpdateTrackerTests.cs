using GodotTorrent.Alerts;
using GodotTorrent.Integration;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Integration;

public class UpdateTrackerTests
{
    private const string Key = "8543d3e6115f0f98c944077a4493dcd543e49c739fd998550a1f614ab36ed63e";

    [Fact]
    public void A_channel_magnet_carries_the_key_and_salt_and_no_info_hash()
    {
        var magnet = MagnetLink.Parse(UpdateTracker.ChannelMagnet(Key, "dlc", "My DLC"));

        Assert.False(magnet.HasInfoHashes);
        Assert.Equal(Convert.FromHexString(Key), magnet.PublicKey.ToArray());
        Assert.Equal("dlc"u8.ToArray(), magnet.Salt.ToArray());
        Assert.Equal("My DLC", magnet.DisplayName);
        Assert.Equal(ErrorCode.InvalidArgument, Assert.Throws<TorrentException>(() => UpdateTracker.ChannelMagnet("abcd", "")).ErrorCode);
        Assert.Equal(ErrorCode.InvalidArgument, Assert.Throws<TorrentException>(() => UpdateTracker.ChannelMagnet(new string('x', 64), "")).ErrorCode);
    }

    [Fact]
    public async Task The_newest_announced_version_is_kept_and_its_download_finishing_names_the_installed_version()
    {
        await using var installed = await IntegrationTorrent.CreateAsync();
        await using var update = await IntegrationTorrent.CreateAsync();
        var tracker = new UpdateTracker();
        var channel = UpdateTracker.ChannelMagnet(Key, "dlc");
        tracker.Follow(installed.Handle, channel);

        tracker.Offer(new TorrentUpdateAvailableAlert(installed.Handle, "old", "new3", 3, "magnet:?xt=3"));
        tracker.Offer(new TorrentUpdateAvailableAlert(installed.Handle, "old", "new2", 2, "magnet:?xt=2"));

        Assert.Equal(3, tracker.Available(installed.Handle)?.Sequence);
        Assert.Null(tracker.Finished(update.Handle));
        tracker.Started(installed.Handle, update.Handle);
        Assert.Null(tracker.Available(installed.Handle));
        Assert.Equal(channel, tracker.ChannelOf(update.Handle));
        Assert.Same(installed.Handle, tracker.Finished(update.Handle));
        Assert.Null(tracker.Finished(update.Handle));

        tracker.Offer(new TorrentUpdateAvailableAlert(installed.Handle, "old", "new4", 4, "magnet:?xt=4"));
        tracker.Forget(installed.Handle);
        Assert.Null(tracker.Available(installed.Handle));
        Assert.Null(tracker.ChannelOf(installed.Handle));
        Assert.Equal(0, tracker.AvailableCount);
    }
}
