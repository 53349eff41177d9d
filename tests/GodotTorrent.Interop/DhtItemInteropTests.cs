using System.Security.Cryptography;
using System.Text;
using GodotTorrent.Interop.Harness;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// BEP 44 items and BEP 46 update channels over a real DHT: eight libtorrent nodes in a private
/// network namespace (tools/lt_dht.py) and our CLI inside it. libtorrent reads what we put and we
/// read what it put (mutable with and without salt, immutable); a BEP 46 magnet we publish resolves
/// and downloads through the DHT alone, and a follower (download --follow) takes version 2 when it
/// is published.
/// </summary>
public sealed class DhtItemInteropTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Items_put_by_libtorrent_are_read_by_us_and_items_we_put_are_read_by_libtorrent()
    {
        string source = _data.CreateFile("seed/content.bin", 100_000, seed: 61);
        string torrentPath = _data.PathOf("content.torrent");
        var info = await Libtorrent.CreateAsync(new LtCreateOptions(source, torrentPath));
        var (keyFile, ourKey) = await KeygenAsync("chan");
        string ltSeed = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        string ltImmutable = Target("15:immutable hello");
        string ourImmutable = Target("8:from us!");

        var run = await LibtorrentDht.RunAsync(
            8,
            [
                new { @do = "put-mutable", node = 1, seed = ltSeed, salt = "mysalt", value = "hello" },
                new { @do = "put-immutable", node = 2, value = "immutable hello" },
                Ours("get-salted", ["dht-get", "--key", LtPublicKey(ltSeed), "--salt", "mysalt"], "127.0.0.3"),
                Ours("get-immutable", ["dht-get", "--target", ltImmutable], "127.0.0.3"),
                Ours("publish", ["publish", torrentPath, "--key", keyFile, "--salt", "chan", "--once"], "127.0.0.4"),
                new { @do = "get-mutable", node = 6, @public = ourKey, salt = "chan" },
                Ours("put", ["dht-put", "--value", "from us!"], "127.0.0.5"),
                new { @do = "get-immutable", node = 7, target = ourImmutable },
                new { @do = "put-mutable", node = 3, seed = ltSeed, salt = "", value = "no salt" },
                Ours("get-unsalted", ["dht-get", "--key", LtPublicKey(ltSeed)], "127.0.0.3"),
            ],
            _data.PathOf("work"),
            TimeSpan.FromSeconds(240));
        output.WriteLine(run.ToString());

        Assert.True(run.Ok, run.ToString());
        Assert.Contains("\"value\":\"5:hello\"", Output(run, 2), StringComparison.Ordinal);
        Assert.Contains("\"seq\":1", Output(run, 2), StringComparison.Ordinal);
        Assert.Contains("\"value\":\"15:immutable hello\"", Output(run, 3), StringComparison.Ordinal);
        // libtorrent verified our signature and shows the BEP 46 value {ih: <info-hash>}.
        Assert.Equal(1, run.Step(5).GetProperty("seq").GetInt64());
        Assert.Contains(info.InfoHashV1!, run.Step(5).GetProperty("value").GetString(), StringComparison.Ordinal);
        Assert.Equal("from us!", run.Step(7).GetProperty("value").GetString());
        Assert.Contains("\"value\":\"7:no salt\"", Output(run, 9), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bep46_magnet_we_publish_resolves_and_downloads_through_the_dht_alone()
    {
        string source = _data.CreateFile("seed/content.bin", 2_000_003, seed: 62);
        string torrentPath = _data.PathOf("content.torrent");
        await Libtorrent.CreateAsync(new LtCreateOptions(source, torrentPath));
        var (keyFile, ourKey) = await KeygenAsync("v");
        string magnet = $"magnet:?xs=urn:btpk:{ourKey}&s={Convert.ToHexStringLower(Encoding.UTF8.GetBytes("v"))}";
        string outFolder = _data.PathOf("follower");

        var run = await LibtorrentDht.RunAsync(
            8,
            [
                new
                {
                    @do = "run",
                    name = "seed",
                    background = true,
                    cmd = OurCli.Command(["seed", torrentPath, "--data", _data.PathOf("seed"), "--listen", "127.0.0.6", "--port", "6881", "--timeout", "150", "--no-lsd"], "{DHT_ARGS}"),
                },
                Ours("publish", ["publish", torrentPath, "--key", keyFile, "--salt", "v", "--once"], "127.0.0.4"),
                Ours("download", ["download", magnet, "--out", outFolder, "--no-lsd"], "127.0.0.7", timeout: 110),
                new { @do = "stop", name = "seed" },
            ],
            _data.PathOf("work"),
            TimeSpan.FromSeconds(240));
        output.WriteLine(run.ToString());

        Assert.True(run.Ok, run.ToString());
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(source)), SHA256.HashData(File.ReadAllBytes(Path.Combine(outFolder, "content.bin"))));
    }

    [Fact]
    public async Task A_follower_downloads_version_1_then_version_2_when_the_publisher_puts_it()
    {
        // Version 2 is version 1 with 100 kB changed in the middle: the same name, so it lands on version 1's file.
        string v1Source = _data.CreateFile("seed1/content.bin", 2_000_003, seed: 63);
        byte[] v2Bytes = File.ReadAllBytes(v1Source);
        new Random(64).NextBytes(v2Bytes.AsSpan(900_000, 100_000));
        Directory.CreateDirectory(_data.PathOf("seed2"));
        string v2Source = _data.PathOf("seed2/content.bin");
        File.WriteAllBytes(v2Source, v2Bytes);
        string v1Torrent = _data.PathOf("v1.torrent");
        string v2Torrent = _data.PathOf("v2.torrent");
        var v1 = await Libtorrent.CreateAsync(new LtCreateOptions(v1Source, v1Torrent));
        var v2 = await Libtorrent.CreateAsync(new LtCreateOptions(v2Source, v2Torrent));
        var (keyFile, ourKey) = await KeygenAsync("game");
        string magnet = $"magnet:?xs=urn:btpk:{ourKey}&s={Convert.ToHexStringLower(Encoding.UTF8.GetBytes("game"))}";
        string outFolder = _data.PathOf("follower");
        string followed = Path.Combine(outFolder, "content.bin");

        var run = await LibtorrentDht.RunAsync(
            8,
            [
                Background("seed1", ["seed", v1Torrent, "--data", _data.PathOf("seed1"), "--listen", "127.0.0.6", "--port", "6881", "--timeout", "330", "--no-lsd"]),
                Background("seed2", ["seed", v2Torrent, "--data", _data.PathOf("seed2"), "--listen", "127.0.0.8", "--port", "6881", "--timeout", "330", "--no-lsd"]),
                Ours("publish-1", ["publish", v1Torrent, "--key", keyFile, "--salt", "game", "--once"], "127.0.0.4"),
                Background("follower", ["download", magnet, "--out", outFolder, "--follow", "--follow-interval", "5", "--listen", "127.0.0.7", "--port", "6881", "--timeout", "330", "--no-lsd"]),
                new { @do = "wait-output", name = "follower", contains = $"version 1: {v1.InfoHashV1} complete", timeout = 110 },
                new { @do = "run", name = "sha-1", timeout = 10, cmd = $"sha256sum '{followed}'" },
                Ours("publish-2", ["publish", v2Torrent, "--key", keyFile, "--salt", "game", "--once"], "127.0.0.4"),
                new { @do = "wait-output", name = "follower", contains = $"version 2: {v2.InfoHashV1} complete", timeout = 150 },
                new { @do = "stop", name = "follower" },
                new { @do = "stop", name = "seed1" },
                new { @do = "stop", name = "seed2" },
            ],
            _data.PathOf("work"),
            TimeSpan.FromSeconds(380));
        output.WriteLine(run.ToString());

        Assert.True(run.Ok, run.ToString());
        Assert.StartsWith(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(v1Source))), Output(run, 5), StringComparison.Ordinal);
        Assert.Equal(SHA256.HashData(v2Bytes), SHA256.HashData(File.ReadAllBytes(followed)));
        // Ctrl-C (SIGINT) while following is the normal end; the update was reported before the download.
        Assert.Equal(0, run.Step(8).GetProperty("exit_code").GetInt32());
        Assert.Contains($"version 2 available: {v2.InfoHashV1} (seq 2)", File.ReadAllText(_data.PathOf("work/follower.out")), StringComparison.Ordinal);
        output.WriteLine($"version 1 complete after {run.Step(4).GetProperty("seconds").GetDouble()} s; version 2 {run.Step(7).GetProperty("seconds").GetDouble()} s after its put");
    }

    private static object Background(string name, string[] arguments) => new
    {
        @do = "run",
        name,
        background = true,
        cmd = OurCli.Command(arguments, "{DHT_ARGS}"),
    };

    private static object Ours(string name, string[] arguments, string address, int timeout = 45) => new
    {
        @do = "run",
        name,
        timeout,
        cmd = OurCli.Command([.. arguments, "--listen", address, "--port", "6881", "--timeout", (timeout - 10).ToString(System.Globalization.CultureInfo.InvariantCulture)], "{DHT_ARGS}"),
    };

    private static string Output(LtDhtRun run, int step) =>
        string.Join('\n', run.Step(step).GetProperty("output").EnumerateArray().Select(l => l.GetString()));

    private static string Target(string bencoded) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(bencoded)));

    private static string LtPublicKey(string seedHex)
    {
        var key = new Org.BouncyCastle.Crypto.Parameters.Ed25519PrivateKeyParameters(Convert.FromHexString(seedHex));
        return Convert.ToHexStringLower(key.GeneratePublicKey().GetEncoded());
    }

    private async Task<(string KeyFile, string PublicKey)> KeygenAsync(string salt)
    {
        string keyFile = _data.PathOf("channel.key");
        var result = await ToolProcess.RunAsync("dotnet", [OurCli.DllPath, "keygen", keyFile, "--salt", salt, "--force"], TimeSpan.FromSeconds(60));
        string line = result.StandardOutput.Split('\n').First(l => l.StartsWith("public key:", StringComparison.Ordinal));
        return (keyFile, line["public key:".Length..].Trim());
    }
}
