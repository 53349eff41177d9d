using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// Godot-Torrent sessions on 127.0.0.1 for the engine interop tests, with every alert kept (popped
/// alerts are recorded per session) and every wait bounded. Disposing stops them all.
/// </summary>
public sealed class OurSessions : IAsyncDisposable
{
    private readonly List<TorrentSession> _sessions = [];
    private readonly Dictionary<TorrentSession, List<Alert>> _alerts = [];

    public static SessionSettings LoopbackSettings => new()
    {
        ListenAddresses = [IPAddress.Loopback],
        ListenPort = 0,
        AlertMask = AlertCategory.All,
        AlertQueueCapacity = 100_000,
    };

    /// <summary>A started session on 127.0.0.1 (port picked by the OS); <paramref name="settings"/> defaults to <see cref="LoopbackSettings"/>; <paramref name="options"/> injects services (an HTTP handler, say).</summary>
    public async Task<TorrentSession> StartAsync(SessionSettings? settings = null, TorrentSessionOptions? options = null)
    {
        var session = new TorrentSession(settings ?? LoopbackSettings, options);
        _sessions.Add(session);
        _alerts[session] = [];
        await session.StartAsync();
        return session;
    }

    /// <summary>Every alert the session posted so far (popped and kept).</summary>
    public IReadOnlyList<Alert> Alerts(TorrentSession session)
    {
        var list = _alerts[session];
        list.AddRange(session.PopAlerts());
        return list;
    }

    /// <summary>Waits, bounded, for <paramref name="predicate"/>; on timeout fails with the torrent's status, peers, trackers and last alerts.</summary>
    public async Task<TorrentStatus> WaitAsync(TorrentSession session, TorrentHandle handle, Func<TorrentStatus, bool> predicate, TimeSpan timeout, string what)
    {
        using var stop = new CancellationTokenSource(timeout);
        try
        {
            var status = await handle.WaitForAsync(s => predicate(s) || s.State == TorrentState.Error, stop.Token);
            return status.State == TorrentState.Error && !predicate(status)
                ? throw new InvalidOperationException($"torrent error {status.Error}: {status.ErrorMessage}; {await DescribeAsync(session, handle)}")
                : status;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            throw new TimeoutException($"not '{what}' within {timeout.TotalSeconds} s: {await DescribeAsync(session, handle)}");
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds; bounded.</summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan timeout, Func<T, string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds} s: {describe(value)}");
            }

            await Task.Delay(100);
        }
    }

    public async Task<string> DescribeAsync(TorrentSession session, TorrentHandle handle)
    {
        var status = await handle.GetStatusAsync(CancellationToken.None);
        var peers = await handle.GetPeersAsync(CancellationToken.None);
        var trackers = await handle.GetTrackersAsync(CancellationToken.None);
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"state {status.State}, {status.PiecesDone}/{status.PieceCount} pieces, down {status.TotalPayloadDownload}, up {status.TotalPayloadUpload}, {peers.Count} peers, {status.KnownPeerCount} known");
        foreach (var p in peers)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"\n  peer {p.EndPoint} {p.Client} source={p.Source} out={p.IsOutgoing} seed={p.IsSeed} down={p.TotalDownload} up={p.TotalUpload}");
        }

        foreach (var t in trackers)
        {
            text += string.Create(CultureInfo.InvariantCulture, $"\n  tracker {t.Url} working={t.IsWorking} error={t.LastError} '{t.LastErrorMessage}' x{t.FailuresInARow} seeds={t.Seeds} peers={t.Peers}");
        }

        foreach (var alert in Alerts(session).TakeLast(40))
        {
            text += "\n  alert " + alert.TypeName + ": " + alert.Message;
        }

        return text;
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    /// <summary>Every file of <paramref name="layout"/> under expected/name and actual/name has the same size and SHA-256.</summary>
    public static void AssertSameFiles(string expectedSavePath, string actualSavePath, string name, IEnumerable<TestFile> layout)
    {
        foreach (var file in layout)
        {
            var expected = Path.Combine(expectedSavePath, name, file.Path);
            var actual = Path.Combine(actualSavePath, name, file.Path);
            Assert.True(File.Exists(actual), "missing " + actual);
            Assert.Equal(file.Size, new FileInfo(actual).Length);
            Assert.Equal(Sha256(expected), Sha256(actual));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        _sessions.Clear();
    }
}
