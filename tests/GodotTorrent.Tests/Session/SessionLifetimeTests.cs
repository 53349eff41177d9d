using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>
/// What a session says when it is used outside its life: before <c>StartAsync</c> it asks to be
/// started; once disposed it is an <see cref="ObjectDisposedException"/> (it used to answer
/// "call StartAsync first", and then StartAsync "already running"). No session here listens.
/// </summary>
public class SessionLifetimeTests
{
    private static readonly AddTorrentParams Magnet = new()
    {
        Magnet = MagnetLink.Parse("magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567"),
        SavePath = "unused",
    };

    [Fact]
    public async Task A_session_not_started_asks_to_be_started()
    {
        await using var session = new TorrentSession(SwarmFixture.LoopbackSettings);

        var e = await Assert.ThrowsAsync<TorrentException>(() => session.AddTorrentAsync(Magnet));
        Assert.Equal(ErrorCode.SessionNotRunning, e.ErrorCode);
    }

    [Fact]
    public async Task A_disposed_session_says_it_is_disposed_to_every_call()
    {
        var session = new TorrentSession(SwarmFixture.LoopbackSettings);
        await session.DisposeAsync();
        await session.DisposeAsync();

        var start = await Assert.ThrowsAsync<ObjectDisposedException>(() => session.StartAsync());
        var add = await Assert.ThrowsAsync<ObjectDisposedException>(() => session.AddTorrentAsync(Magnet));
        var list = await Assert.ThrowsAsync<ObjectDisposedException>(() => session.GetTorrentsAsync());
        var save = await Assert.ThrowsAsync<ObjectDisposedException>(() => session.SaveStateAsync());

        Assert.All(new[] { start, add }, e => Assert.Equal(typeof(TorrentSession).FullName, e.ObjectName));
        Assert.False(session.IsRunning);
        Assert.Empty(session.PopAlerts());
    }

    [Fact]
    public async Task A_stopped_session_does_not_ask_to_be_started_again()
    {
        await using var session = new TorrentSession(SwarmFixture.LoopbackSettings);
        await session.StopAsync();

        var add = await Assert.ThrowsAsync<TorrentException>(() => session.AddTorrentAsync(Magnet));
        var start = await Assert.ThrowsAsync<TorrentException>(() => session.StartAsync());

        Assert.Equal(ErrorCode.SessionNotRunning, add.ErrorCode);
        Assert.DoesNotContain("StartAsync", add.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCode.SessionAlreadyRunning, start.ErrorCode);
    }
}
