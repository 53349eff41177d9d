using System.Net;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// MSE/PE (step 09) against libtorrent 2.0, both directions, 64 MiB in five files: libtorrent
/// forced to RC4 (with our session forced to RC4 too, and at our defaults: libtorrent allows only
/// RC4, so RC4 it is), libtorrent forced to plaintext after MSE, and both at their defaults (MSE,
/// then plaintext: what real swarms do). Our side's <see cref="PeerInfo.Encryption"/> is sampled
/// while the data flows; libtorrent reports its own view (<c>peer_info.flags</c>) through lt_tool.
/// </summary>
public sealed class LibtorrentEncryptionInteropTests(ITestOutputHelper output) : SwarmInteropTests(output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Only MSE, only RC4, both directions: libtorrent's "forced RC4".</summary>
    internal static SessionSettings ForcedRc4 => DefaultSettings with
    {
        IncomingEncryption = EncryptionPolicy.Forced,
        OutgoingEncryption = EncryptionPolicy.Forced,
        AllowedEncryptionLevel = EncryptionLevel.Rc4,
        PreferRc4 = true,
    };

    /// <summary>Only MSE both directions, either level (what <c>gdtorrent --encryption forced</c> sets).</summary>
    internal static SessionSettings Forced => DefaultSettings with
    {
        IncomingEncryption = EncryptionPolicy.Forced,
        OutgoingEncryption = EncryptionPolicy.Forced,
    };

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Encryption_libtorrent_forced_rc4_seeds_we_download(bool oursForced)
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        using var seed = await LibtorrentPeer.StartSeedAsync(path, SeedDir, encryption: LtEncryption.ForcedRc4);

        var (session, watch) = await DownloadWatchedAsync(
            $"libtorrent forced RC4 -> Godot-Torrent ({(oursForced ? "forced RC4" : "defaults")})", torrent, seed, oursForced ? ForcedRc4 : null);
        await using (watch)
        {
            AssertSameFiles();
            AssertOurs(PeerEncryption.Rc4, watch);
            Assert.Equal(["rc4"], await seed.WaitForEncryptionSeenAsync(Timeout));
            Assert.True((await session.GetStatisticsAsync()).EncryptedConnections >= 1);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Encryption_we_seed_libtorrent_forced_rc4_downloads(bool oursForced)
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        var (session, handle) = await StartOurSeedAsync(torrent, Timeout, oursForced ? ForcedRc4 : null);
        await using var watch = PeerEncryptionWatch.Start(handle);

        using var download = await LibtorrentPeer.StartDownloadAsync(path, OutDir, [OurEndPoint(session)], encryption: LtEncryption.ForcedRc4);
        var result = await WaitForThemAsync(() => download.WaitForCompletionAsync(Timeout), session, handle);

        Report($"Godot-Torrent ({(oursForced ? "forced RC4" : "defaults")}) -> libtorrent forced RC4", result);
        AssertPayload(result.Bytes, torrent);
        AssertSameFiles();
        AssertOurs(PeerEncryption.Rc4, watch);
        Assert.Equal(["rc4"], download.EncryptionSeen);
        Assert.True((await session.GetStatisticsAsync()).EncryptedConnections >= 1);
    }

    [Fact]
    public async Task Encryption_libtorrent_forced_plaintext_seeds_we_download_forced()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        using var seed = await LibtorrentPeer.StartSeedAsync(path, SeedDir, encryption: LtEncryption.ForcedPlaintext);

        var (session, watch) = await DownloadWatchedAsync("libtorrent forced plaintext -> Godot-Torrent (forced)", torrent, seed, Forced);
        await using (watch)
        {
            AssertSameFiles();
            AssertOurs(PeerEncryption.Plaintext, watch);
            Assert.Equal(["plaintext"], await seed.WaitForEncryptionSeenAsync(Timeout));
            Assert.True((await session.GetStatisticsAsync()).EncryptedConnections >= 1);
        }
    }

    [Fact]
    public async Task Encryption_we_seed_libtorrent_forced_plaintext_downloads()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        var (session, handle) = await StartOurSeedAsync(torrent, Timeout);
        await using var watch = PeerEncryptionWatch.Start(handle);

        using var download = await LibtorrentPeer.StartDownloadAsync(path, OutDir, [OurEndPoint(session)], encryption: LtEncryption.ForcedPlaintext);
        var result = await WaitForThemAsync(() => download.WaitForCompletionAsync(Timeout), session, handle);

        Report("Godot-Torrent (defaults) -> libtorrent forced plaintext", result);
        AssertPayload(result.Bytes, torrent);
        AssertSameFiles();
        AssertOurs(PeerEncryption.Plaintext, watch);
        Assert.Equal(["plaintext"], download.EncryptionSeen);
    }

    /// <summary>
    /// Both at their defaults, both ways in one test: libtorrent seeds to us, then a second
    /// libtorrent downloads from us. Each side offers MSE first and picks plaintext after it (the
    /// data flows that way; see <see cref="AssertDataCarriedAs"/> for libtorrent's extra connection).
    /// </summary>
    [Fact]
    public async Task Encryption_defaults_against_libtorrent_defaults_end_as_mse_then_plaintext_both_ways()
    {
        var (path, torrent) = await CreateTorrentAsync(TorrentVersion.V1);
        using var seed = await LibtorrentPeer.StartSeedAsync(path, SeedDir);
        var (session, watch) = await DownloadWatchedAsync("libtorrent defaults -> Godot-Torrent defaults", torrent, seed, settings: null);
        await using (watch)
        {
            AssertSameFiles();
            AssertDataCarriedAs(PeerEncryption.Plaintext, watch);
            Assert.Contains("plaintext", await seed.WaitForEncryptionSeenAsync(Timeout));
        }

        var handle = Assert.Single(await session.GetTorrentsAsync());
        await using var back = PeerEncryptionWatch.Start(handle);
        var outDir = Data.PathOf("out-libtorrent");
        using var download = await LibtorrentPeer.StartDownloadAsync(path, outDir, [OurEndPoint(session)]);
        var result = await WaitForThemAsync(() => download.WaitForCompletionAsync(Timeout), session, handle);

        Report("Godot-Torrent defaults -> libtorrent defaults", result);
        OurSessions.AssertSameFiles(SeedDir, outDir, Name, Layout);
        AssertDataCarriedAs(PeerEncryption.Plaintext, back);
        Assert.Contains("plaintext", download.EncryptionSeen);
        Assert.True((await session.GetStatisticsAsync()).EncryptedConnections >= 2);
    }

    private static IPEndPoint OurEndPoint(TorrentSession session) => new(IPAddress.Loopback, session.ListenPort);

    private static void AssertOurs(PeerEncryption expected, PeerEncryptionWatch watch)
    {
        var seen = watch.Seen;
        Assert.True(seen.Count == 1 && seen.Contains(expected), $"expected every connected peer {expected}; seen: {watch.Describe()}");
    }

    /// <summary>
    /// Every connection that moved data was <paramref name="expected"/>. A libtorrent at its defaults
    /// now and then opens a second, plaintext connection next to its MSE one (seen: incoming, no
    /// data, then closed); accepting it is right for an enabled policy, so only data counts here.
    /// </summary>
    private void AssertDataCarriedAs(PeerEncryption expected, PeerEncryptionWatch watch)
    {
        Output.WriteLine("our peers: " + watch.Describe());
        var seen = watch.SeenMovingData;
        Assert.True(seen.Count == 1 && seen.Contains(expected), $"expected every peer that moved data {expected}; seen: {watch.Describe()}");
    }

    /// <summary>Our session downloads from <paramref name="seed"/> (we dial) while a watch samples its peers.</summary>
    private async Task<(TorrentSession Session, PeerEncryptionWatch Watch)> DownloadWatchedAsync(string direction, TorrentInfo torrent, LibtorrentPeer seed, SessionSettings? settings)
    {
        TorrentSession? session = null;
        PeerEncryptionWatch? watch = null;
        try
        {
            await DownloadWithUsAsync(
                direction,
                torrent,
                [seed.EndPoint],
                Timeout,
                () => seed.Process.StandardError,
                settings,
                (s, h) => (session, watch) = (s, PeerEncryptionWatch.Start(h)));
        }
        catch
        {
            if (watch is not null)
            {
                await watch.DisposeAsync();
            }

            throw;
        }

        return (session!, watch!);
    }
}
