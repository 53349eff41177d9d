using GodotTorrent.Session;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace GodotTorrent.Tests.Session;

/// <summary>
/// Step 08 item 6: a session with many idle torrents grew its RSS by what every tick allocated
/// (about 600 bytes per torrent per second, mostly a fresh status snapshot) whenever the GC
/// collected rarely. Idle ticks now allocate next to nothing on the engine loop.
/// </summary>
public class IdleMemoryTests(ITestOutputHelper output)
{
    private const int Torrents = 40;
    private const int Ticks = 120;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Idle_seeding_torrents_allocate_almost_nothing_per_tick(bool autoManaged)
    {
        await using var swarm = new SwarmFixture();
        var folder = swarm.Folder("seed");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Auto-managed ones all get a slot, so every torrent is active as in the probe's run.
        var settings = SwarmFixture.LoopbackSettings with { ActiveSeeds = Torrents, ActiveLimit = Torrents };
        var session = await swarm.StartSessionAsync(settings, new TorrentSessionOptions { TimeProvider = time });
        var handles = new List<TorrentHandle>();
        for (int i = 0; i < Torrents; i++)
        {
            var torrent = await swarm.CreateContentAsync(folder, "t" + i, [("a.bin", 40_000)], pieceLength: 16384, seed: i);
            handles.Add(await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = folder, AutoManaged = autoManaged }));
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var handle in handles)
        {
            await handle.WaitForStateAsync(TorrentState.Seeding, cts.Token);
        }

        // Warm up past the first choke rounds and announces, then count what the loop allocates.
        await TickAsync(session, time, 30);
        long before = await session.Loop.InvokeAsync(() => GC.GetAllocatedBytesForCurrentThread());
        await TickAsync(session, time, Ticks);
        long after = await session.Loop.InvokeAsync(() => GC.GetAllocatedBytesForCurrentThread());

        double perTorrentTick = (after - before) / (double)(Torrents * Ticks);
        output.WriteLine($"{perTorrentTick:F1} bytes per idle torrent per tick");
        Assert.True(perTorrentTick < 64, $"{perTorrentTick:F0} bytes per idle torrent per tick");
        Assert.All(handles, h => Assert.Equal(TorrentState.Seeding, h.Status.State));
        Assert.All(handles, h => Assert.False(h.Status.IsQueued));
    }

    /// <summary>Fires the session's one-second tick <paramref name="count"/> times, each run to completion on the loop.</summary>
    private static async Task TickAsync(TorrentSession session, FakeTimeProvider time, int count)
    {
        for (int i = 0; i < count; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            await session.Loop.InvokeAsync(() => { });
        }
    }
}
