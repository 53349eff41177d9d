using System.Net;
using GodotTorrent.Integration;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Integration;

public class VariantSnapshotsTests
{
    [Fact]
    public async Task Status_torrent_and_file_snapshots_hold_only_Variant_friendly_values()
    {
        await using var t = await IntegrationTorrent.CreateAsync();
        var status = await t.Handle.GetStatusAsync();

        var s = VariantSnapshots.Status(status);
        VariantAssert.Friendly(s, "status");
        Assert.Equal(t.Key, s["info_hash"]);
        Assert.Equal("pack", s["name"]);
        Assert.Equal(status.StateName, s["state"]);
        Assert.Equal(true, s["paused"]);
        Assert.Equal(70000L, s["total_size"]);
        Assert.Equal(-1L, s["eta_seconds"]);

        var info = VariantSnapshots.Torrent(t.Torrent);
        VariantAssert.Friendly(info, "torrent");
        Assert.Equal(t.Key, info["info_hash"]);
        Assert.Equal(t.Torrent.ToMagnet().ToUri(), info["magnet"]);
        var files = Assert.IsAssignableFrom<IReadOnlyList<object?>>(info["files"]);
        Assert.Equal(2, files.Count);
        var second = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(files[1]);
        Assert.Equal(t.Torrent.Files[1].Path, second["path"]);
        Assert.Equal(30000L, second["size"]);
        Assert.Equal(1L, second["index"]);
    }

    [Fact]
    public void Peer_snapshots_hold_only_Variant_friendly_values()
    {
        var peer = new PeerInfo
        {
            EndPoint = new IPEndPoint(IPAddress.Parse("10.1.2.3"), 51413),
            Client = "libtorrent 2.0.9",
            PeerId = "-LT2090-abcdefghijkl",
            IsOutgoing = true,
            Progress = 0.25,
            DownloadRate = 1000,
            ConnectedAt = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            Transport = PeerTransport.Utp,
        };
        var p = VariantSnapshots.Peer(peer);
        VariantAssert.Friendly(p, "peer");
        Assert.Equal("10.1.2.3:51413", p["address"]);
        Assert.Equal("10.1.2.3", p["ip"]);
        Assert.Equal(51413L, p["port"]);
        Assert.Equal(0.25, p["progress"]);
        Assert.Equal(1_700_000_000L, p["connected_time"]);
        Assert.Equal("utp", p["transport"]);
    }
}
