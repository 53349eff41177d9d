using System.Collections.Concurrent;
using GodotTorrent.Alerts;

namespace GodotTorrent.Tests.Alerts;

public class AlertManagerTests
{
    private sealed record TestAlert(int N, AlertCategory Cat = AlertCategory.Status) : Alert
    {
        public override string TypeName => "test";
        public override AlertCategory Category => Cat;
        public override string Message => $"test {N}";
    }

    private sealed record OtherAlert : Alert
    {
        public override string TypeName => "other";
        public override AlertCategory Category => AlertCategory.Error;
        public override string Message => "other";
    }

    [Fact]
    public void Alerts_outside_the_mask_are_not_queued()
    {
        var manager = new AlertManager(mask: AlertCategory.Error);
        manager.Post(new TestAlert(1));
        manager.Post(new OtherAlert());
        Assert.IsType<OtherAlert>(Assert.Single(manager.PopAlerts()));

        manager.Enable(AlertCategory.Status);
        Assert.True(manager.IsEnabled(AlertCategory.Status | AlertCategory.Error));
        manager.Post(new TestAlert(2));
        manager.SetEnabled(AlertCategory.Status, false);
        manager.Post(new TestAlert(3));
        Assert.Equal(2, Assert.IsType<TestAlert>(Assert.Single(manager.PopAlerts())).N);
        Assert.Empty(manager.PopAlerts());
    }

    [Fact]
    public void Overflow_drops_the_oldest_and_reports_the_count_once()
    {
        var manager = new AlertManager(capacity: 10);
        for (int i = 0; i < 25; i++)
        {
            manager.Post(new TestAlert(i));
        }

        Assert.Equal(11, manager.Count);
        var alerts = manager.PopAlerts();
        var dropped = Assert.IsType<AlertsDroppedAlert>(alerts[0]);
        Assert.Equal(15, dropped.DroppedCount);
        Assert.Equal(15, dropped.DroppedByType["test"]);
        Assert.Equal(Enumerable.Range(15, 10), alerts.Skip(1).Cast<TestAlert>().Select(a => a.N));
        Assert.Empty(manager.PopAlerts());
    }

    [Fact]
    public void Popping_by_type_or_category_leaves_the_rest_in_order()
    {
        var manager = new AlertManager();
        manager.Post(new TestAlert(1));
        manager.Post(new OtherAlert());
        manager.Post(new TestAlert(2));

        Assert.Single(manager.PopAlerts(AlertCategory.Error));
        Assert.Equal([1, 2], manager.PopAlerts<TestAlert>().Select(a => a.N));
        manager.Post(new TestAlert(3));
        manager.Clear();
        Assert.Equal(0, manager.Count);
    }

    [Fact]
    public void Without_a_context_a_throwing_handler_is_reported_and_neither_the_poster_nor_other_handlers_see_it()
    {
        // Raised inline on the engine thread: the exception used to escape into the engine code posting the alert.
        var manager = new AlertManager(context: null);
        var failures = new List<Exception>();
        manager.HandlerFailed = failures.Add;
        var seen = new List<int>();
        int available = 0;
        manager.AlertPosted += (_, _) => throw new InvalidOperationException("a game's bug");
        manager.AlertPosted += (_, e) => seen.Add(((TestAlert)e.Alert).N);
        manager.AlertsAvailable += (_, _) => throw new InvalidOperationException("another bug");
        manager.AlertsAvailable += (_, _) => available++;

        manager.Post(new TestAlert(1));
        manager.Post(new TestAlert(2));

        Assert.Equal([1, 2], seen);
        Assert.Equal(1, available);
        Assert.Equal(3, failures.Count);
        Assert.All(failures, e => Assert.IsType<InvalidOperationException>(e));
        Assert.Equal(2, manager.Count);
    }

    [Fact]
    public async Task Events_are_raised_on_the_captured_context_in_order()
    {
        using var context = new SingleThreadContext();
        var manager = new AlertManager(context: context);
        var seen = new ConcurrentQueue<(int N, int Thread)>();
        int available = 0;
        manager.AlertPosted += (_, e) => seen.Enqueue((((TestAlert)e.Alert).N, Environment.CurrentManagedThreadId));
        manager.AlertsAvailable += (_, _) => Interlocked.Increment(ref available);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (int i = 0; i < 50; i++)
            {
                manager.Post(new TestAlert(t * 1000 + i));
            }
        })));
        await context.DrainAsync();

        Assert.Equal(200, seen.Count);
        Assert.All(seen, s => Assert.Equal(context.ThreadId, s.Thread));
        foreach (var group in seen.GroupBy(s => s.N / 1000))
        {
            Assert.Equal(group.Select(s => s.N).Order(), group.Select(s => s.N));
        }

        Assert.Equal(1, available);
        Assert.Equal(200, manager.PopAlerts().Count);
        manager.Post(new TestAlert(9999));
        await context.DrainAsync();
        Assert.Equal(2, available);
    }

    [Fact]
    public async Task Waiting_returns_when_an_alert_arrives_or_times_out()
    {
        var manager = new AlertManager();
        Assert.False(await manager.WaitForAlertsAsync(TimeSpan.FromMilliseconds(20)));
        var wait = manager.WaitForAlertsAsync(TimeSpan.FromSeconds(10));
        manager.Post(new TestAlert(1));
        Assert.True(await wait);
    }

    /// <summary>A context that runs every posted callback on one dedicated thread, like a game's main loop.</summary>
    private sealed class SingleThreadContext : SynchronizationContext, IDisposable
    {
        private readonly BlockingCollection<(SendOrPostCallback, object?)> _work = new();
        private readonly Thread _thread;

        public SingleThreadContext()
        {
            _thread = new Thread(() =>
            {
                foreach (var (callback, state) in _work.GetConsumingEnumerable())
                {
                    callback(state);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public int ThreadId => _thread.ManagedThreadId;

        public override void Post(SendOrPostCallback d, object? state) => _work.Add((d, state));

        public Task DrainAsync()
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Post(_ => done.SetResult(), null);
            return done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        public void Dispose()
        {
            _work.CompleteAdding();
            _thread.Join(TimeSpan.FromSeconds(5));
            _work.Dispose();
        }
    }
}
