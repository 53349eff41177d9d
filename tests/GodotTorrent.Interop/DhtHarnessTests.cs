using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// The DHT harness itself (tools/lt_dht.py), libtorrent only: its nodes mesh, a torrent seeded
/// with no tracker is found and downloaded through the DHT alone, items put on one node are read
/// on another, and a command run inside sees no network but loopback. The DHT interop tests
/// trust these.
/// </summary>
public sealed class DhtHarnessTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Libtorrent_nodes_find_and_download_a_torrent_through_the_dht_alone_in_a_private_network()
    {
        string source = _data.CreateFile("seed/content.bin", 3_000_017, seed: 41);
        string torrentPath = _data.PathOf("content.torrent");
        var info = await Libtorrent.CreateAsync(new LtCreateOptions(source, torrentPath));
        string hash = info.InfoHashV1!;
        string magnet = "magnet:?xt=urn:btih:" + hash;

        var run = await LibtorrentDht.RunAsync(
            8,
            [
                new { @do = "seed", node = 0, torrent = torrentPath, data = _data.PathOf("seed") },
                new { @do = "find-peers", node = 5, info_hash = hash, expect = "127.0.0.10", timeout = 20 },
                new { @do = "download", node = 7, magnet, @out = _data.PathOf("lt-out"), timeout = 30 },
                new { @do = "run", cmd = "ip -o addr show | grep -v ' lo ' | wc -l; ip -o addr show lo | wc -l", timeout = 5 },
            ],
            _data.PathOf("work"),
            TimeSpan.FromSeconds(90));
        output.WriteLine(run.ToString());

        Assert.True(run.Ok, run.ToString());
        Assert.Contains("127.0.0.10:6881", run.Step(1).GetProperty("peers").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(File.ReadAllBytes(source), File.ReadAllBytes(_data.PathOf("lt-out/content.bin")));
        // No interface but loopback inside: nothing the nodes or our CLI send can leave.
        string[] lines = [.. run.Step(3).GetProperty("output").EnumerateArray().Select(l => l.GetString()!)];
        Assert.Equal(new[] { "0", "2" }, lines);
    }

    [Fact]
    public async Task Items_put_on_one_libtorrent_node_are_read_on_another()
    {
        byte[] seed = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        // SHA-1 of the bencoded value, as BEP 44 defines an immutable item's target.
        string target = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData("15:immutable hello"u8));
        var get = await LibtorrentDht.RunAsync(
            8,
            [
                new { @do = "put-mutable", node = 1, seed = Convert.ToHexStringLower(seed), salt = "mysalt", value = "hello" },
                new { @do = "get-mutable", node = 6, seed = Convert.ToHexStringLower(seed), salt = "mysalt" },
                new { @do = "put-immutable", node = 2, value = "immutable hello" },
                new { @do = "get-immutable", node = 7, target },
            ],
            _data.PathOf("work"),
            TimeSpan.FromSeconds(60));
        output.WriteLine(get.ToString());
        Assert.True(get.Ok, get.ToString());
        Assert.Equal(target, get.Step(2).GetProperty("target").GetString());
        Assert.Equal("hello", get.Step(1).GetProperty("value").GetString());
        Assert.Equal(1, get.Step(1).GetProperty("seq").GetInt64());
        Assert.Equal("immutable hello", get.Step(3).GetProperty("value").GetString());
    }
}
