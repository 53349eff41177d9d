using System.Security.Cryptography;
using GodotTorrent.Interop.Harness;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Our DHT against libtorrent's (BEP 5): a DHT of eight libtorrent nodes in a private network
/// namespace (tools/lt_dht.py) with our CLI run inside it, bootstrapping from three of them.
/// Neither side has a tracker or a peer address: the magnets carry only <c>xt</c>.
/// </summary>
public sealed class DhtInteropTests(ITestOutputHelper output) : IDisposable
{
    private const string OurAddress = "127.0.0.2";
    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task We_download_an_xt_only_magnet_that_libtorrent_seeds_with_no_tracker_finding_it_through_the_dht()
    {
        string source = _data.CreateFile("seed/content.bin", 5_000_033, seed: 51);
        string torrentPath = _data.PathOf("content.torrent");
        var info = await Libtorrent.CreateAsync(new LtCreateOptions(source, torrentPath));
        string magnet = "magnet:?xt=urn:btih:" + info.InfoHashV1;
        string outFolder = _data.PathOf("ours");

        var run = await LibtorrentDht.RunAsync(
            8,
            [
                new { @do = "seed", node = 0, torrent = torrentPath, data = _data.PathOf("seed") },
                new
                {
                    @do = "run",
                    name = "ours",
                    timeout = 90,
                    cmd = OurCli.Command(["download", magnet, "--out", outFolder, "--listen", OurAddress, "--port", "6881", "--timeout", "80", "--json", "--no-lsd"], "{DHT_ARGS}"),
                },
            ],
            _data.PathOf("work"),
            TimeSpan.FromSeconds(150));
        output.WriteLine(run.ToString());

        Assert.True(run.Ok, run.ToString());
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(source)), SHA256.HashData(File.ReadAllBytes(Path.Combine(outFolder, "content.bin"))));
    }

    [Fact]
    public async Task Libtorrent_downloads_an_xt_only_magnet_that_we_seed_with_no_tracker_after_finding_us_through_the_dht()
    {
        string source = _data.CreateFile("seed/content.bin", 5_000_033, seed: 52);
        string torrentPath = _data.PathOf("content.torrent");
        var info = await Libtorrent.CreateAsync(new LtCreateOptions(source, torrentPath));
        string hash = info.InfoHashV1!;
        string ltOut = _data.PathOf("lt-out");

        var run = await LibtorrentDht.RunAsync(
            8,
            [
                new
                {
                    @do = "run",
                    name = "ours",
                    background = true,
                    cmd = OurCli.Command(["seed", torrentPath, "--data", _data.PathOf("seed"), "--listen", OurAddress, "--port", "6881", "--timeout", "100", "--json", "--no-lsd"], "{DHT_ARGS}"),
                },
                // Our announce reached the nodes closest to the hash: a far node's lookup names us.
                new { @do = "find-peers", node = 5, info_hash = hash, expect = OurAddress, timeout = 40 },
                new { @do = "download", node = 7, magnet = "magnet:?xt=urn:btih:" + hash, @out = ltOut, timeout = 40 },
                new { @do = "stop", name = "ours" },
            ],
            _data.PathOf("work"),
            TimeSpan.FromSeconds(150));
        output.WriteLine(run.ToString());

        Assert.True(run.Ok, run.ToString());
        Assert.Contains($"{OurAddress}:6881", run.Step(1).GetProperty("peers").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(source)), SHA256.HashData(File.ReadAllBytes(Path.Combine(ltOut, "content.bin"))));
    }
}
