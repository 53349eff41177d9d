using System.Collections.Concurrent;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>Real sockets and threads: proves the public API is safe from many real threads at once, which the single-threaded simulation cannot.</summary>
public class ThreadSafetyStressTests
{
    /// <summary>
    /// Eight threads hammer the public API of a session while it transfers: every call either
    /// works or throws one of the documented errors, nothing deadlocks, and afterwards the session
    /// is consistent and still downloads.
    /// </summary>
    [Fact]
    public async Task The_public_api_survives_eight_threads_during_transfers()
    {
        await using var swarm = new SwarmFixture();
        var seedFolder = swarm.Folder("seed");
        var torrents = new List<TorrentInfo>();
        for (int i = 0; i < 3; i++)
        {
            torrents.Add(await swarm.CreateContentAsync(seedFolder, $"pack{i}", [("a.bin", 400_000 + (i * 1000)), ("b.bin", 200_000)], seed: i + 10));
        }

        var seeder = await swarm.StartSessionAsync();
        foreach (var torrent in torrents)
        {
            await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder, UploadRateLimit = 2 * 1024 * 1024 });
        }

        var session = await swarm.StartSessionAsync();
        var seedEndPoint = SwarmFixture.EndPointOf(seeder);
        var downloadFolder = swarm.Folder("download");
        var unexpected = new ConcurrentQueue<Exception>();
        var documented = new ConcurrentDictionary<ErrorCode, int>();
        long calls = 0;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(8));

        async Task WorkerAsync(int seed)
        {
            var random = new Random(seed);
            while (!stop.IsCancellationRequested)
            {
                var torrent = torrents[random.Next(torrents.Count)];
                try
                {
                    var handles = await session.GetTorrentsAsync();
                    var handle = handles.Count > 0 ? handles[random.Next(handles.Count)] : null;
                    switch (random.Next(10))
                    {
                        case 0:
                            await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = downloadFolder, Peers = [seedEndPoint] });
                            break;
                        case 1 when handle is not null:
                            await session.RemoveTorrentAsync(handle);
                            break;
                        case 2 when handle is not null:
                            await handle.PauseAsync();
                            break;
                        case 3 when handle is not null:
                            await handle.ResumeAsync();
                            break;
                        case 4 when handle is not null:
                            await handle.SetFilePriorityAsync(random.Next(2), (Priority)random.Next(8));
                            break;
                        case 5 when handle is not null:
                            var status = await handle.GetStatusAsync();
                            Assert.InRange(status.Progress, 0, 1);
                            _ = handle.Status.PiecesDone;
                            break;
                        case 6 when handle is not null:
                            await handle.GetPeersAsync();
                            break;
                        case 7:
                            session.PopAlerts();
                            break;
                        case 8 when handle is not null:
                            await handle.ConnectPeerAsync(seedEndPoint);
                            break;
                        case 9:
                            _ = session.FindTorrent(torrent.InfoHashes.Primary)?.Status.State;
                            break;
                    }
                }
                catch (TorrentException e) when (e.ErrorCode is ErrorCode.InvalidHandle or ErrorCode.DuplicateTorrent)
                {
                    // Another thread removed or added the same torrent first: documented outcomes.
                    documented.AddOrUpdate(e.ErrorCode, 1, (_, n) => n + 1);
                }
                catch (Exception e)
                {
                    unexpected.Enqueue(e);
                }

                Interlocked.Increment(ref calls);
            }
        }

        var workers = Enumerable.Range(0, 8).Select(i => Task.Run(() => WorkerAsync(i))).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(unexpected.IsEmpty, string.Join("\n", unexpected.Take(5)));
        Assert.True(calls > 200, $"only {calls} calls in 8 s: something blocks");

        // Consistent afterwards: every listed handle is valid and unique; the session still completes downloads.
        var remaining = await session.GetTorrentsAsync();
        Assert.All(remaining, h => Assert.True(h.IsValid));
        Assert.Equal(remaining.Count, remaining.Select(h => h.InfoHashes.Primary).Distinct().Count());
        using var finish = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var handle in remaining)
        {
            await session.RemoveTorrentAsync(handle, RemoveOptions.DeleteFiles, finish.Token);
            Assert.False(handle.IsValid);
        }

        var fresh = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrents[0], SavePath = swarm.Folder("fresh"), Peers = [seedEndPoint] }, finish.Token);
        await fresh.WaitForStateAsync(TorrentState.Seeding, finish.Token);
        SwarmFixture.AssertSameFiles(seedFolder, swarm.Folder("fresh"), torrents[0]);
    }
}
