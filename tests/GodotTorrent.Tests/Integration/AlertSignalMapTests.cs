using System.Net;
using System.Reflection;
using GodotTorrent.Alerts;
using GodotTorrent.Integration;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Integration;

public class AlertSignalMapTests
{
    private sealed record UnmappedAlert : Alert
    {
        public override string TypeName => "unmapped";
        public override AlertCategory Category => AlertCategory.Status;
        public override string Message => "unmapped";
    }

    [Fact]
    public async Task Every_mapped_alert_gives_its_signal_with_Variant_friendly_args_in_the_documented_order()
    {
        await using var t = await IntegrationTorrent.CreateAsync();
        var h = t.Handle;
        var map = AlertSignalMap.CreateDefault();
        var endPoint = IntegrationTorrent.Peer;

        AlertSignal Map(Alert alert) => Assert.IsType<AlertSignal>(map.Map(alert));

        var added = Map(new TorrentAddedAlert(h));
        Assert.Equal(SignalNames.TorrentAdded, added.Name);
        Assert.Equal([t.Key, "pack"], added.Args);

        Assert.Equal([t.Key, "pack"], Map(new TorrentRemovedAlert(h)).Args);
        Assert.Equal([t.Key], Map(new TorrentPausedAlert(h)).Args);
        Assert.Equal([t.Key], Map(new TorrentResumedAlert(h)).Args);
        Assert.Equal([t.Key, "pack"], Map(new TorrentFinishedAlert(h)).Args);

        var state = Map(new StateChangedAlert(h, TorrentState.CheckingFiles, TorrentState.Downloading));
        Assert.Equal(SignalNames.StateChanged, state.Name);
        Assert.Equal([t.Key, "downloading", "checking_files"], state.Args);

        var error = Map(new TorrentErrorAlert(h, ErrorCode.DiskFull, "disk full"));
        Assert.Equal([t.Key, (long)ErrorCode.DiskFull, "disk full"], error.Args);

        var file = Map(new FileCompletedAlert(h, 1));
        Assert.Equal(SignalNames.FileCompleted, file.Name);
        Assert.Equal([t.Key, 1L, t.Torrent.Files[1].Path], file.Args);
        Assert.Equal([t.Key, 9L, string.Empty], Map(new FileCompletedAlert(h, 9)).Args);

        Assert.Equal([t.Key, 0L, "/x/a.bin", (long)ErrorCode.AccessDenied, "denied"], Map(new FileErrorAlert(h, 0, "/x/a.bin", ErrorCode.AccessDenied, "denied")).Args);
        Assert.Equal([t.Key, 0L, t.Torrent.Files[0].Path, (long)ErrorCode.AccessDenied, "denied"], Map(new FileErrorAlert(h, 0, null, ErrorCode.AccessDenied, "denied")).Args);
        Assert.Equal([t.Key, 3L], Map(new PieceFinishedAlert(h, 3)).Args);
        Assert.Equal([t.Key, 2L], Map(new HashFailedAlert(h, 2)).Args);

        var peer = Map(new PeerConnectedAlert(h, endPoint, "qBittorrent 4.6.0", Outgoing: true));
        Assert.Equal(SignalNames.PeerConnected, peer.Name);
        Assert.Equal([t.Key, "10.1.2.3:51413", "qBittorrent 4.6.0"], peer.Args);
        Assert.Equal([t.Key, "10.1.2.3:51413", (long)ErrorCode.ConnectionClosed, "closed"], Map(new PeerDisconnectedAlert(h, endPoint, ErrorCode.ConnectionClosed, "closed")).Args);
        Assert.Equal([t.Key, "10.1.2.3:51413", (long)ErrorCode.InvalidMessage, "bad"], Map(new PeerErrorAlert(h, endPoint, ErrorCode.InvalidMessage, "bad")).Args);
        Assert.Equal([t.Key, "10.1.2.3:51413", "hash fails"], Map(new PeerBanAlert(h, endPoint, "hash fails")).Args);

        Assert.Equal(["[::1]:6881"], Map(new ListenSucceededAlert(new IPEndPoint(IPAddress.IPv6Loopback, 6881))).Args);
        Assert.Equal(["127.0.0.1:6881", (long)ErrorCode.ListenFailed, "in use"], Map(new ListenFailedAlert(IPAddress.Loopback, 6881, "in use")).Args);

        var dropped = Map(new AlertsDroppedAlert(5, new Dictionary<string, int> { ["peer_connect"] = 5 }));
        Assert.Equal(5L, dropped.Args[0]);
        Assert.Equal(5L, Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(dropped.Args[1])["peer_connect"]);

        foreach (var signal in new[] { added, state, error, file, peer, dropped })
        {
            VariantAssert.Friendly(signal.Args, signal.Name);
        }
    }

    [Fact]
    public void Every_public_alert_type_is_mapped_or_deliberately_left_out()
    {
        var map = AlertSignalMap.CreateDefault();
        var alertTypes = typeof(Alert).Assembly.GetExportedTypes()
            .Where(t => t.IsSubclassOf(typeof(Alert)) && !t.IsAbstract)
            .ToList();
        Assert.NotEmpty(alertTypes);
        Assert.All(alertTypes, t => Assert.True(map.Handles(t), $"{t.Name} has no signal: add one line to AlertSignalMap.CreateDefault"));
    }

    [Fact]
    public void Signal_names_are_the_documented_constants_and_become_PascalCase_Godot_names()
    {
        var constants = typeof(SignalNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet();
        var map = AlertSignalMap.CreateDefault();
        Assert.Subset(constants, map.Names.ToHashSet());
        Assert.Contains(SignalNames.MetadataReceived, constants);
        Assert.Contains(SignalNames.TrackerError, constants);
        Assert.Contains(SignalNames.StatusUpdated, constants);

        Assert.Equal("TorrentAdded", AlertSignal.ToPascalCase("torrent_added"));
        Assert.Equal("StatusUpdated", new AlertSignal(SignalNames.StatusUpdated, [], null).GodotName);
        Assert.Equal("AlertsDropped", AlertSignal.ToPascalCase("alerts_dropped"));
    }

    [Fact]
    public void Unmapped_alerts_give_no_signal_and_a_new_entry_is_one_line()
    {
        var map = AlertSignalMap.CreateDefault();
        Assert.Null(map.Map(new UnmappedAlert()));

        map.Add<UnmappedAlert>("something_new", a => [a.Message]);
        var signal = Assert.IsType<AlertSignal>(map.Map(new UnmappedAlert()));
        Assert.Equal("something_new", signal.Name);
        Assert.Equal("SomethingNew", signal.GodotName);
        Assert.Equal(["unmapped"], signal.Args);
        Assert.Contains("something_new", map.Names);
    }

    [Fact]
    public void State_names_match_the_status_snapshot_strings()
    {
        foreach (var state in Enum.GetValues<TorrentState>())
        {
            var status = new TorrentStatus { InfoHashes = new(GodotTorrent.Metainfo.InfoHash.ComputeV1([1]), null), Name = "x", State = state, SavePath = "/" };
            Assert.Equal(status.StateName, VariantSnapshots.StateName(state));
        }
    }
}
