using GodotTorrent.Alerts;
using GodotTorrent.Integration;

namespace GodotTorrent.Tests.Integration;

public class AlertPumpTests
{
    private sealed record NumberAlert(int N) : Alert
    {
        public override string TypeName => "number";
        public override AlertCategory Category => AlertCategory.Status;
        public override string Message => $"number {N}";
    }

    private sealed record SilentAlert : Alert
    {
        public override string TypeName => "silent";
        public override AlertCategory Category => AlertCategory.Status;
        public override string Message => "silent";
    }

    private static AlertSignalMap NumberMap()
    {
        var map = new AlertSignalMap();
        map.Add<NumberAlert>("number", a => [(long)a.N]);
        return map;
    }

    [Fact]
    public void Each_call_handles_at_most_the_given_number_of_alerts_in_order()
    {
        var manager = new AlertManager(capacity: 1000);
        var pump = new AlertPump(manager, NumberMap());
        for (int i = 0; i < 250; i++)
        {
            manager.Post(new NumberAlert(i));
        }

        var seen = new List<long>();
        Assert.Equal(100, pump.Pump(100, s => seen.Add((long)s.Args[0]!)));
        Assert.Equal(150, pump.Backlog);
        Assert.Equal(100, pump.Pump(100, s => seen.Add((long)s.Args[0]!)));
        Assert.Equal(50, pump.Pump(100, s => seen.Add((long)s.Args[0]!)));
        Assert.Equal(0, pump.Pump(100, s => seen.Add((long)s.Args[0]!)));
        Assert.Equal(Enumerable.Range(0, 250).Select(i => (long)i), seen);
    }

    [Fact]
    public void The_manager_is_not_drained_while_the_backlog_is_long_so_its_bound_still_applies()
    {
        var manager = new AlertManager(capacity: 50);
        var pump = new AlertPump(manager, NumberMap());
        for (int i = 0; i < 40; i++)
        {
            manager.Post(new NumberAlert(i));
        }

        Assert.Equal(10, pump.Pump(10, _ => { }));
        Assert.Equal(30, pump.Backlog);
        for (int i = 40; i < 200; i++)
        {
            manager.Post(new NumberAlert(i));
        }

        // The manager keeps its newest 50 plus one AlertsDroppedAlert; the pump's backlog did not grow.
        Assert.Equal(10, pump.Pump(10, _ => { }));
        Assert.Equal(20, pump.Backlog);
        Assert.Equal(51, manager.Count);

        var alerts = new List<Alert>();
        while (pump.Pump(10, _ => { }, alerts.Add) > 0)
        {
        }

        Assert.Equal(20 + 1 + 50, alerts.Count);
        Assert.Equal(Enumerable.Range(20, 20), alerts.Take(20).Cast<NumberAlert>().Select(a => a.N));
        Assert.Equal(160 - 50, Assert.IsType<AlertsDroppedAlert>(alerts[20]).DroppedCount);
        Assert.Equal(Enumerable.Range(150, 50), alerts.Skip(21).Cast<NumberAlert>().Select(a => a.N));
        Assert.True(pump.Backlog == 0 && manager.Count == 0);
    }

    [Fact]
    public void Unmapped_alerts_reach_the_alert_callback_but_emit_nothing()
    {
        var manager = new AlertManager();
        var pump = new AlertPump(manager, NumberMap());
        manager.Post(new SilentAlert());
        manager.Post(new NumberAlert(7));

        var alerts = new List<Alert>();
        var signals = new List<AlertSignal>();
        Assert.Equal(2, pump.Pump(5, signals.Add, alerts.Add));
        Assert.Equal(2, alerts.Count);
        var signal = Assert.Single(signals);
        Assert.Same(alerts[1], signal.Alert);
    }

    [Fact]
    public void Bad_arguments_are_refused_and_clear_forgets_the_backlog()
    {
        var manager = new AlertManager();
        var pump = new AlertPump(manager, NumberMap());
        Assert.Throws<ArgumentOutOfRangeException>(() => pump.Pump(0, _ => { }));
        for (int i = 0; i < 5; i++)
        {
            manager.Post(new NumberAlert(i));
        }

        pump.Pump(1, _ => { });
        Assert.Equal(4, pump.Backlog);
        pump.Clear();
        Assert.Equal(0, pump.Backlog);
    }

    [Fact]
    public async Task A_real_session_s_torrent_added_alert_comes_out_as_the_torrent_added_signal()
    {
        await using var t = await IntegrationTorrent.CreateAsync();
        var pump = new AlertPump(t.Session.Alerts);
        var signals = new List<AlertSignal>();
        while (pump.Pump(16, signals.Add) > 0)
        {
        }

        var added = Assert.Single(signals, s => s.Name == SignalNames.TorrentAdded);
        Assert.Equal([t.Key, "pack"], added.Args);
        Assert.All(signals, s => VariantAssert.Friendly(s.Args, s.Name));
    }
}
