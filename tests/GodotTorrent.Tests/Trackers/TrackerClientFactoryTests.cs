using GodotTorrent.Session;
using GodotTorrent.Tests.Session;
using GodotTorrent.Trackers;

namespace GodotTorrent.Tests.Trackers;

/// <summary>The shared HTTP client is made for the first HTTP tracker, not at session start.</summary>
public class TrackerClientFactoryTests
{
    [Fact]
    public void The_HTTP_client_is_made_by_the_first_HTTP_tracker_and_not_by_UDP_ones()
    {
        using var factory = new TrackerClientFactory(TrackerTestData.FastOptions);
        Assert.False(factory.HasHttpClient);

        using (factory.Create(new Uri("udp://127.0.0.1:6969/announce")))
        {
            Assert.False(factory.HasHttpClient);
        }

        using (factory.Create(new Uri("http://127.0.0.1:1/announce")))
        {
            Assert.True(factory.HasHttpClient);
        }

        Assert.Equal(2, factory.CreatedCount);
    }

    [Fact]
    public void A_disposed_factory_refuses_to_make_its_HTTP_client()
    {
        var factory = new TrackerClientFactory(TrackerTestData.FastOptions);
        factory.Dispose();
        Assert.Throws<ObjectDisposedException>(() => factory.Create(new Uri("https://127.0.0.1:1/announce")));
        Assert.False(factory.HasHttpClient);
    }

    [Fact]
    public void An_injected_HTTP_client_is_used_and_left_to_its_owner()
    {
        using var http = new HttpClient();
        var factory = new TrackerClientFactory(TrackerTestData.FastOptions, http: http);
        Assert.True(factory.HasHttpClient);
        factory.Dispose();
        // A disposed HttpClient throws ObjectDisposedException on this setter: the factory did not own it.
        http.Timeout = TimeSpan.FromSeconds(5);
        Assert.Equal(TimeSpan.FromSeconds(5), http.Timeout);
    }

    [Fact]
    public async Task A_started_session_without_torrents_has_made_no_HTTP_client()
    {
        await using var session = new TorrentSession(SwarmFixture.LoopbackSettings);
        await session.StartAsync();
        Assert.False(session.TrackerClients.HasHttpClient);
    }
}
