using System.Net;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Trackers;

namespace GodotTorrent.Interop;

/// <summary>
/// Our tracker clients against the npm bittorrent-tracker server (HTTP and UDP) on 127.0.0.1:
/// several fake clients with their own peer ids and ports announce, each must see the others,
/// and scrape counts must match who is seeding and who is downloading.
/// </summary>
public sealed class TrackerInteropTests
{
    private static readonly TransferStats Leeching = new(0, 0, 1_000_000);
    private static readonly TransferStats Seeding = new(0, 0, 0);

    [Theory]
    [InlineData("http")]
    [InlineData("udp")]
    public async Task Clients_see_each_other_and_scrape_counts_match(string scheme)
    {
        using var tracker = await NodeTracker.StartAsync(TimeSpan.FromSeconds(90));
        string url = scheme == "http" ? tracker.HttpAnnounceUrl : tracker.UdpAnnounceUrl;
        var hashes = new InfoHashes(InfoHash.ComputeV1(System.Text.Encoding.UTF8.GetBytes("interop " + scheme)), null);
        var options = new TrackerOptions { HttpTimeout = TimeSpan.FromSeconds(10), UdpRetryBase = TimeSpan.FromSeconds(1), UdpMaxRetries = 2 };
        using var factory = new TrackerClientFactory(options);
        int[] ports = [41001, 41002, 41003];
        var managers = ports.Select((port, i) => new TrackerManager(
            [[url]], hashes, Wire.PeerId.Generate($"-T{i}0000-").ToArray(), () => port, factory, options, random: new Random(i))).ToArray();
        try
        {
            // Client 0 seeds, 1 and 2 download.
            for (int i = 0; i < managers.Length; i++)
            {
                var outcome = await managers[i].AnnounceAsync(AnnounceEvent.Started, i == 0 ? Seeding : Leeching);
                Assert.True(outcome.AnyReply, string.Join("; ", outcome.Events.Select(e => e.Message)));
            }

            for (int i = 0; i < managers.Length; i++)
            {
                managers[i].ForceReannounce(ignoreMinInterval: true);
                var outcome = await managers[i].AnnounceAsync(AnnounceEvent.None, i == 0 ? Seeding : Leeching);
                Assert.True(outcome.AnyReply, string.Join("; ", outcome.Events.Select(e => e.Message)));
                // bittorrent-tracker lists the announcing peer too (it only filters WebRTC peers by id),
                // so the engine must drop its own address; here: the others must all be there.
                foreach (int other in ports.Where((_, j) => j != i))
                {
                    Assert.Contains(new IPEndPoint(IPAddress.Loopback, other), outcome.Peers);
                }

                Assert.All(outcome.Peers, p => Assert.Contains(p.Port, ports));
                var status = Assert.Single(managers[i].GetStatus());
                Assert.True(status.IsWorking);
                Assert.Equal((1, 2), (status.Seeds, status.Peers));
            }

            var scrape = await managers[1].ScrapeAsync();
            Assert.True(scrape.Replies.ContainsKey(url), string.Join("; ", scrape.Events.Select(e => e.Message)));
            Assert.Equal(new ScrapeResponse(1, 2, 0), scrape.Replies[url] with { Downloaded = 0 });

            // Client 2 finishes, client 1 stops: one downloader fewer, one seed more.
            await managers[2].AnnounceAsync(AnnounceEvent.Completed, Seeding);
            await managers[1].StopAsync(Leeching, TimeSpan.FromSeconds(5));
            scrape = await managers[0].ScrapeAsync();
            Assert.True(scrape.Replies.ContainsKey(url), string.Join("; ", scrape.Events.Select(e => e.Message)));
            var counts = scrape.Replies[url];
            Assert.Equal((2, 0), (counts.Complete, counts.Incomplete));
            Assert.True(counts.Downloaded >= 1, $"downloaded {counts.Downloaded}");
        }
        finally
        {
            foreach (var manager in managers)
            {
                manager.Dispose();
            }
        }
    }

    [Fact]
    public async Task Unknown_torrent_scrape_and_bad_requests_fail_typed()
    {
        using var tracker = await NodeTracker.StartAsync(TimeSpan.FromSeconds(60));
        using var factory = new TrackerClientFactory(new TrackerOptions { UdpRetryBase = TimeSpan.FromSeconds(1), UdpMaxRetries = 1 });
        using var client = factory.Create(new Uri(tracker.HttpAnnounceUrl));
        // A stopped announce for a swarm the tracker never saw still succeeds; numwant 0 gets no peers.
        var reply = await client.AnnounceAsync(new AnnounceRequest
        {
            InfoHash = new byte[20],
            PeerId = Wire.PeerId.Generate().ToArray(),
            Port = 1,
            Event = AnnounceEvent.Stopped,
            NumWant = 0,
        }, CancellationToken.None);
        Assert.Empty(reply.Peers);

        // A zero port is rejected by the tracker with a failure reason.
        var error = await Assert.ThrowsAsync<TrackerException>(() => client.AnnounceAsync(new AnnounceRequest
        {
            InfoHash = new byte[20],
            PeerId = Wire.PeerId.Generate().ToArray(),
            Port = 0,
        }, CancellationToken.None));
        Assert.Equal(ErrorCode.TrackerFailure, error.ErrorCode);
    }
}
