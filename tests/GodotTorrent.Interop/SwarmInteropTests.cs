using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using GodotTorrent.Alerts;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Shared set-up of the engine-against-real-client transfers (one derived class per client):
/// 64 MiB of random data in five files (one in a nested folder), a torrent made by our
/// <see cref="TorrentCreator"/>, a Godot-Torrent session on 127.0.0.1 and every wait bounded.
/// Peers are given directly (no tracker); at the end every file's SHA-256 must match the seed's.
/// </summary>
public abstract class SwarmInteropTests : IAsyncLifetime
{
    protected const int PieceLength = 256 * 1024;
    protected const string Name = "content";
    private const int Seed = 4242;

    /// <summary>64 MiB in five files: sizes off piece boundaries, a nested folder, a small file.</summary>
    protected static readonly IReadOnlyList<TestFile> Layout =
    [
        new("a.bin", (24L << 20) + 123),
        new("b/c.bin", 16L << 20),
        new("d.bin", (12L << 20) - 1_123),
        new("e/f/g.bin", (12L << 20) - 1),
        new("small.txt", 1_001),
    ];

    protected static readonly long TotalSize = Layout.Sum(f => f.Size);

    private readonly List<TorrentSession> _sessions = [];

    protected SwarmInteropTests(ITestOutputHelper output)
    {
        Output = output;
        Data = TestData.Create();
        SeedDir = Data.PathOf("seed");
        OutDir = Data.PathOf("out");
        Directory.CreateDirectory(OutDir);
        Data.CreateFolder("seed/" + Name, Seed, Layout);
    }

    protected ITestOutputHelper Output { get; }

    protected TestData Data { get; }

    /// <summary>The seed's save path: the files are in SeedDir/content/...</summary>
    protected string SeedDir { get; }

    /// <summary>The downloader's save path.</summary>
    protected string OutDir { get; }

    /// <summary>Makes the .torrent with our creator; returns its path and the parsed torrent.</summary>
    protected async Task<(string Path, TorrentInfo Torrent)> CreateTorrentAsync(TorrentVersion version)
    {
        var path = Data.PathOf("ours-" + version.ToString().ToLowerInvariant() + ".torrent");
        var torrent = await TorrentCreator.CreateFileAsync(
            Path.Combine(SeedDir, Name), path, new TorrentCreatorOptions { Version = version, PieceLength = PieceLength });
        return (path, torrent);
    }

    /// <summary>Our sessions' settings unless a test gives its own (derived from these, e.g. with encryption).</summary>
    protected static SessionSettings DefaultSettings => new()
    {
        ListenAddresses = [IPAddress.Loopback],
        ListenPort = 0,
        AlertMask = AlertCategory.Default | AlertCategory.Connect,
    };

    protected async Task<TorrentSession> StartSessionAsync(SessionSettings? settings = null)
    {
        var session = new TorrentSession(settings ?? DefaultSettings);
        _sessions.Add(session);
        await session.StartAsync();
        return session;
    }

    /// <summary>Our session seeding the torrent from <see cref="SeedDir"/>, once it has checked the data.</summary>
    protected async Task<(TorrentSession Session, TorrentHandle Handle)> StartOurSeedAsync(TorrentInfo torrent, TimeSpan timeout, SessionSettings? settings = null)
    {
        var session = await StartSessionAsync(settings);
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = SeedDir });
        await WaitAsync(session, handle, s => s.State == TorrentState.Seeding, timeout, "seeding after the check");
        return (session, handle);
    }

    /// <summary>
    /// Our session downloading into <see cref="OutDir"/> from <paramref name="peers"/> (dialled by us);
    /// waits, bounded, for every piece to be verified and reports the times. <paramref name="added"/>
    /// sees the session and the torrent as soon as it is added (to watch its peers while it downloads).
    /// </summary>
    protected async Task<TorrentStatus> DownloadWithUsAsync(
        string direction,
        TorrentInfo torrent,
        IReadOnlyList<IPEndPoint> peers,
        TimeSpan timeout,
        Func<string>? peerDiagnostics = null,
        SessionSettings? settings = null,
        Action<TorrentSession, TorrentHandle>? added = null)
    {
        var session = await StartSessionAsync(settings);
        var clock = Stopwatch.StartNew();
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = OutDir, Peers = peers });
        added?.Invoke(session, handle);
        using var stop = new CancellationTokenSource(timeout);
        TimeSpan? firstByte = null;
        var firstByteTask = Task.Run(
            async () =>
            {
                // Polled (status snapshots refresh about once a second: too coarse for this).
                while (!stop.IsCancellationRequested && (await handle.GetStatusAsync(stop.Token)).TotalPayloadDownload == 0)
                {
                    await Task.Delay(25, stop.Token);
                }

                firstByte = clock.Elapsed;
            },
            CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        var status = await WaitAsync(session, handle, s => s.State == TorrentState.Seeding, timeout, "seeding after the download", peerDiagnostics);
        var elapsed = clock.Elapsed;
        await stop.CancelAsync();
        await firstByteTask;
        Report(direction, new PeerTransferResult(elapsed, firstByte, status.TotalPayloadDownload));
        Assert.Equal(torrent.PieceCount, status.PiecesDone);
        Assert.InRange(status.TotalPayloadDownload, TotalSize, TotalSize + (TotalSize / 10) + PaddingOf(torrent));
        return status;
    }

    /// <summary>Waits, bounded, for a status of <paramref name="handle"/>; on timeout fails with our status, peers and alerts.</summary>
    protected async Task<TorrentStatus> WaitAsync(TorrentSession session, TorrentHandle handle, Func<TorrentStatus, bool> predicate, TimeSpan timeout, string what, Func<string>? peerDiagnostics = null)
    {
        using var stop = new CancellationTokenSource(timeout);
        try
        {
            return await handle.WaitForAsync(s => predicate(s) || s.State == TorrentState.Error, stop.Token) is { State: TorrentState.Error } failed
                ? throw new InvalidOperationException($"torrent error {failed.Error}: {failed.ErrorMessage}; {await DescribeAsync(session, handle)}")
                : await handle.GetStatusAsync(CancellationToken.None);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            var other = peerDiagnostics is null ? string.Empty : "\nother side: " + peerDiagnostics();
            throw new TimeoutException($"not '{what}' within {timeout.TotalSeconds} s: {await DescribeAsync(session, handle)}{other}");
        }
    }

    /// <summary>Fails with diagnostics when a real client's wait fails; otherwise returns its result.</summary>
    protected async Task<PeerTransferResult> WaitForThemAsync(Func<Task<PeerTransferResult>> wait, TorrentSession session, TorrentHandle handle)
    {
        try
        {
            return await wait();
        }
        catch (ToolFailedException e)
        {
            throw new ToolFailedException(e.Message + "\nour side: " + await DescribeAsync(session, handle));
        }
    }

    protected async Task<string> DescribeAsync(TorrentSession session, TorrentHandle handle)
    {
        var status = await handle.GetStatusAsync(CancellationToken.None);
        var peers = await handle.GetPeersAsync(CancellationToken.None);
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"state {status.State}, {status.PiecesDone}/{status.PieceCount} pieces, down {status.TotalPayloadDownload}, up {status.TotalPayloadUpload}, {peers.Count} peers");
        foreach (var p in peers)
        {
            text += string.Create(
                CultureInfo.InvariantCulture,
                $"\n  peer {p.EndPoint} {p.Client} out={p.IsOutgoing} seed={p.IsSeed} amInterested={p.AmInterested} amChoking={p.AmChoking} peerInterested={p.PeerInterested} peerChoking={p.PeerChoking} down={p.TotalDownload} up={p.TotalUpload} pending={p.PendingRequests} peerPending={p.PeerPendingRequests} fast={p.SupportsFastExtension} enc={p.Encryption} transport={p.Transport}");
        }

        foreach (var alert in session.PopAlerts().TakeLast(40))
        {
            text += "\n  alert " + alert.TypeName + ": " + alert.Message;
        }

        return text;
    }

    protected void Report(string direction, PeerTransferResult result)
    {
        var firstByte = result.FirstByte is { } f ? f.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s" : "n/a";
        var overall = TotalSize / result.Elapsed.TotalSeconds / 1e6;
        Output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{direction}: {TotalSize / 1048576.0:0.0} MiB in {result.Elapsed.TotalSeconds:0.00} s ({overall:0.0} MB/s overall), first byte {firstByte}, {result.MegabytesPerSecond:0.0} MB/s after it"));
    }

    /// <summary>Payload counters may include pad files (hybrid torrents) and blocks received twice (end game).</summary>
    protected static void AssertPayload(long bytes, TorrentInfo torrent) =>
        Assert.InRange(bytes, TotalSize, TotalSize + (TotalSize / 10) + PaddingOf(torrent));

    protected void AssertSameFiles()
    {
        foreach (var file in Layout)
        {
            var relative = Name + "/" + file.Path;
            var expected = Sha256(Path.Combine(SeedDir, relative));
            var actual = Path.Combine(OutDir, relative);
            Assert.True(File.Exists(actual), "missing " + actual);
            Assert.Equal(file.Size, new FileInfo(actual).Length);
            Assert.Equal(expected, Sha256(actual));
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        _sessions.Clear();
        Data.Dispose();
    }

    private static long PaddingOf(TorrentInfo torrent) => torrent.Files.Where(f => f.IsPad).Sum(f => f.Length);

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }
}
