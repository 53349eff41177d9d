using System.Diagnostics;
using System.Globalization;
using System.Net;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// uTP (BEP 29, step 10) against libtorrent 2.0, 64 MiB in five files. With TCP switched off on
/// both sides only uTP can carry the data: libtorrent seeds to us, we seed to it, and we fetch a
/// magnet's metadata and data from it. Mixed: libtorrent at its defaults (both transports) dials
/// our seed at our defaults and picks uTP (it dials uTP first). Our side's
/// <see cref="PeerInfo.Transport"/> is sampled while the data flows; libtorrent reports its own view
/// (<c>peer_info.flags</c> bit 17) through lt_tool.
/// </summary>
public sealed class LibtorrentUtpInteropTests(ITestOutputHelper output) : SwarmInteropTests(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>uTP only, no TCP in or out (the transport part of <see cref="SessionSettings.Background"/>).</summary>
    internal static SessionSettings UtpOnly => DefaultSettings with
    {
        EnableIncomingTcp = false,
        EnableOutgoingTcp = false,
        EnableIncomingUtp = true,
        EnableOutgoingUtp = true,
    };

    [Fact]
    public async Task Utp_libtorrent_utp_only_seeds_we_download_without_tcp()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        using var seed = await LibtorrentPeer.StartSeedAsync(path, SeedDir, transport: LtTransport.UtpOnly);

        PeerEncryptionWatch? watch = null;
        try
        {
            await DownloadWithUsAsync(
                "libtorrent uTP only -> Godot-Torrent (TCP off)",
                torrent,
                [seed.EndPoint],
                Timeout,
                () => seed.Process.StandardError,
                UtpOnly,
                (_, h) => watch = PeerEncryptionWatch.Start(h));

            var seen = await seed.WaitForTransportsSeenAsync(Timeout);
            Describe(watch!, seen);
            AssertSameFiles();
            AssertOnlyUtp(watch!);
            Assert.Equal(["utp"], seen);
        }
        finally
        {
            if (watch is not null)
            {
                await watch.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Utp_we_seed_without_tcp_libtorrent_utp_only_downloads()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        var (session, handle) = await StartOurSeedAsync(torrent, Timeout, UtpOnly);
        await using var watch = PeerEncryptionWatch.Start(handle);

        using var download = await LibtorrentPeer.StartDownloadAsync(path, OutDir, [OurEndPoint(session)], transport: LtTransport.UtpOnly);
        var result = await WaitForThemAsync(() => download.WaitForCompletionAsync(Timeout), session, handle);

        Report("Godot-Torrent (TCP off) -> libtorrent uTP only", result);
        Describe(watch, download.TransportsSeen);
        AssertPayload(result.Bytes, torrent);
        AssertSameFiles();
        AssertOnlyUtp(watch);
        Assert.Equal(["utp"], download.TransportsSeen);
        Assert.True((await handle.GetStatusAsync()).TotalPayloadUpload >= TotalSize);
    }

    /// <summary>
    /// Both at their defaults: libtorrent, downloading, dials our seed and tries uTP first, so uTP
    /// carries the data although TCP is open on both sides.
    /// </summary>
    [Fact]
    public async Task Utp_libtorrent_at_defaults_downloads_from_our_seed_at_defaults_over_utp()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        var (session, handle) = await StartOurSeedAsync(torrent, Timeout);
        await using var watch = PeerEncryptionWatch.Start(handle);

        using var download = await LibtorrentPeer.StartDownloadAsync(path, OutDir, [OurEndPoint(session)], transport: LtTransport.Both);
        var result = await WaitForThemAsync(() => download.WaitForCompletionAsync(Timeout), session, handle);

        Report("Godot-Torrent (defaults) -> libtorrent (defaults)", result);
        Describe(watch, download.TransportsSeen);
        AssertPayload(result.Bytes, torrent);
        AssertSameFiles();
        Assert.True(
            watch.TransportsMovingData.SetEquals([PeerTransport.Utp]),
            "expected every peer that moved data over uTP; seen: " + watch.Describe());
        Assert.Contains("utp", download.TransportsSeen);
    }

    [Fact]
    public async Task Utp_we_fetch_a_magnet_from_a_libtorrent_utp_only_seed_without_tcp()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        using var seed = await LibtorrentPeer.StartSeedAsync(path, SeedDir, transport: LtTransport.UtpOnly);
        var magnet = MagnetLink.Create(torrent.InfoHashes, Name, peers: [seed.EndPoint]);

        var session = await StartSessionAsync(UtpOnly);
        var clock = Stopwatch.StartNew();
        var handle = await session.AddTorrentAsync(new AddTorrentParams { Magnet = magnet, SavePath = OutDir });
        await using var watch = PeerEncryptionWatch.Start(handle);
        Assert.Null(handle.TorrentInfo);

        await WaitAsync(session, handle, s => s.HasMetadata, Timeout, "metadata", () => seed.Process.StandardError);
        var metadataAt = clock.Elapsed;
        var status = await WaitAsync(session, handle, s => s.State == TorrentState.Seeding, Timeout, "seeding after the download", () => seed.Process.StandardError);
        Report(
            string.Create(CultureInfo.InvariantCulture, $"libtorrent uTP only -> Godot-Torrent (TCP off), magnet, metadata at {metadataAt.TotalSeconds:0.00} s"),
            new PeerTransferResult(clock.Elapsed, null, status.TotalPayloadDownload));

        var seen = await seed.WaitForTransportsSeenAsync(Timeout);
        Describe(watch, seen);
        Assert.Equal(torrent.InfoBytes.ToArray(), handle.TorrentInfo!.InfoBytes.ToArray());
        Assert.Equal(torrent.PieceCount, status.PiecesDone);
        AssertSameFiles();
        AssertOnlyUtp(watch);
        Assert.Equal(["utp"], seen);
    }

    private void Describe(PeerEncryptionWatch watch, IReadOnlyList<string> libtorrentSaw) =>
        Output.WriteLine("our peers: " + watch.Describe() + "; libtorrent saw [" + string.Join(", ", libtorrentSaw) + "]");

    private static IPEndPoint OurEndPoint(TorrentSession session) => new(IPAddress.Loopback, session.ListenPort);

    /// <summary>Every connected peer was uTP, and at least one moved data (TCP is off in the session: nothing else may appear).</summary>
    internal static void AssertOnlyUtp(PeerEncryptionWatch watch)
    {
        Assert.True(watch.Transports.SetEquals([PeerTransport.Utp]), "expected every connected peer over uTP; seen: " + watch.Describe());
        Assert.True(watch.TransportsMovingData.SetEquals([PeerTransport.Utp]), "expected a uTP peer that moved data; seen: " + watch.Describe());
    }
}
