using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

public class TorrentQueueTests
{
    private static readonly SessionSettings Limits = new() { ActiveDownloads = 2, ActiveSeeds = 1, ActiveLimit = 3 };

    private static Dictionary<string, QueueCandidate<string>> Candidates(params (string Key, bool Auto, bool Complete, bool Active, bool Slow)[] items) =>
        items.ToDictionary(i => i.Key, i => new QueueCandidate<string>(i.Key, i.Auto, i.Complete, i.Active, i.Slow));

    private static TorrentQueue<string> Queue(params string[] keys)
    {
        var queue = new TorrentQueue<string>();
        foreach (var key in keys)
        {
            queue.Add(key);
        }

        return queue;
    }

    [Fact]
    public void Downloads_and_seeds_run_in_queue_order_within_their_limits()
    {
        var queue = Queue("a", "b", "c", "s1", "s2");
        var run = queue.Decide(Candidates(("a", true, false, false, false), ("b", true, false, false, false), ("c", true, false, false, false),
            ("s1", true, true, false, false), ("s2", true, true, false, false)), Limits);

        Assert.Equal(["a", "b", "s1"], run.Order());
    }

    [Fact]
    public void Moving_a_torrent_changes_who_runs()
    {
        var queue = Queue("a", "b", "c");
        var candidates = Candidates(("a", true, false, false, false), ("b", true, false, false, false), ("c", true, false, false, false));
        queue.MoveToTop("c");
        Assert.Equal(["c", "a", "b"], queue.Order);
        Assert.Equal(["a", "c"], queue.Decide(candidates, Limits).Order());

        queue.MoveDown("c");
        queue.MoveToBottom("a");
        Assert.Equal(["c", "b", "a"], queue.Order);
        queue.MoveUp("a");
        Assert.Equal(["c", "a", "b"], queue.Order);
        Assert.Equal(1, queue.PositionOf("a"));
    }

    [Fact]
    public void Slow_running_torrents_do_not_take_slots_unless_configured()
    {
        var queue = Queue("slow", "a", "b");
        var candidates = Candidates(("slow", true, false, true, true), ("a", true, false, false, false), ("b", true, false, false, false));

        Assert.Equal(["a", "b", "slow"], queue.Decide(candidates, Limits).Order());
        Assert.Equal(["a", "slow"], queue.Decide(candidates, Limits with { DontCountSlowTorrents = false }).Order());
    }

    [Fact]
    public void Torrents_that_are_not_auto_managed_are_left_alone()
    {
        var queue = Queue("manual", "a", "b", "c");
        var run = queue.Decide(Candidates(("manual", false, false, true, false), ("a", true, false, false, false), ("b", true, false, false, false), ("c", true, false, false, false)), Limits);
        Assert.Equal(["a", "b"], run.Order());
    }

    [Fact]
    public void The_total_limit_caps_downloads_and_seeds_together()
    {
        var queue = Queue("s1", "a", "b", "c");
        var run = queue.Decide(Candidates(("s1", true, true, false, false), ("a", true, false, false, false), ("b", true, false, false, false), ("c", true, false, false, false)),
            Limits with { ActiveLimit = 2 });
        Assert.Equal(["a", "s1"], run.Order());
    }

    [Fact]
    public void Positions_follow_every_add_remove_and_move()
    {
        // Positions are looked up through an index, rebuilt after changes: each must match the order.
        var queue = Queue("a", "b", "c", "d", "e");
        AssertPositions(queue);
        queue.Remove("b");
        AssertPositions(queue);
        Assert.Equal(-1, queue.PositionOf("b"));
        queue.Add("f");
        queue.Add("b");
        AssertPositions(queue);
        queue.MoveToTop("e");
        queue.MoveUp("b");
        AssertPositions(queue);
        Assert.Equal(["e", "a", "c", "d", "b", "f"], queue.Order);
        queue.Remove("zz");
        queue.Remove("e");
        queue.MoveToBottom("a");
        queue.Add("g");
        AssertPositions(queue);
        Assert.Equal(["c", "d", "b", "f", "a", "g"], queue.Order);
    }

    private static void AssertPositions(TorrentQueue<string> queue)
    {
        for (int i = 0; i < queue.Order.Count; i++)
        {
            Assert.Equal(i, queue.PositionOf(queue.Order[i]));
        }
    }
}
