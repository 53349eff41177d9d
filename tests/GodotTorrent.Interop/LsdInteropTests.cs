using System.Globalization;
using System.Security.Cryptography;
using GodotTorrent.Interop.Harness;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Local service discovery (BEP 14) between real processes: each test runs in a network
/// namespace of its own with only <c>lo</c> up (<see cref="PrivateNetwork"/>, root), so the
/// multicast never leaves it. No tracker, no DHT, no <c>--peer</c>: the only way the two sides
/// learn of each other is LSD. The side started second is found through its own start-up
/// announce (the first side's next one is 5 minutes away).
/// </summary>
public sealed class LsdInteropTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(150);
    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Two_gdtorrent_processes_find_each_other_through_lsd_and_the_download_completes()
    {
        var (source, torrent) = await ContentAsync(71);
        string outFolder = _data.PathOf("ours-out");
        string script =
            Background("seed", Ours(["seed", torrent, "--data", _data.PathOf("seed"), "--listen", "127.0.0.1", "--port", "7101", "--no-dht", "--json", "--timeout", "120"]))
            + PrivateNetwork.WaitForLine(_data.PathOf("seed.out"), "\"listening\"")
            + Foreground(Ours(["download", torrent, "--out", outFolder, "--listen", "127.0.0.1", "--port", "7102", "--no-dht", "--json", "--timeout", "90"]));

        await RunAsync(script);

        AssertSame(source, Path.Combine(outFolder, "content.bin"));
    }

    [Fact]
    public async Task Libtorrent_finds_our_seed_through_lsd_and_downloads_from_it()
    {
        var (source, torrent) = await ContentAsync(72);
        string ltOut = _data.PathOf("lt-out");
        string script =
            Background("seed", Ours(["seed", torrent, "--data", _data.PathOf("seed"), "--listen", "127.0.0.1", "--port", "7201", "--no-dht", "--json", "--timeout", "120"]))
            + PrivateNetwork.WaitForLine(_data.PathOf("seed.out"), "\"listening\"")
            + Foreground(Lt(["download", "--torrent", torrent, "--out", ltOut, "--port", "7202", "--lsd", "--timeout", "90"]));

        await RunAsync(script);

        AssertSame(source, Path.Combine(ltOut, "content.bin"));
    }

    [Fact]
    public async Task We_find_libtorrents_seed_through_lsd_and_download_from_it()
    {
        var (source, torrent) = await ContentAsync(73);
        string outFolder = _data.PathOf("ours-out");
        string script =
            Background("seed", Lt(["seed", "--torrent", torrent, "--data", _data.PathOf("seed"), "--port", "7301", "--lsd", "--timeout", "120"]))
            + PrivateNetwork.WaitForLine(_data.PathOf("seed.out"), "\"seeding\"")
            + Foreground(Ours(["download", torrent, "--out", outFolder, "--listen", "127.0.0.1", "--port", "7302", "--no-dht", "--json", "--timeout", "90"]));

        await RunAsync(script);

        AssertSame(source, Path.Combine(outFolder, "content.bin"));
    }

    [Fact]
    public async Task Lsd_joins_its_group_only_on_the_interfaces_the_session_listens_on()
    {
        var (_, torrent) = await ContentAsync(74);
        // A second interface in the private namespace (a veth pair, no route out): a seed on loopback
        // must not announce there; a seed on its address must.
        string Seed(string name, string listen) =>
            Background(name, Ours(["seed", torrent, "--data", _data.PathOf("seed"), "--listen", listen, "--port", "0", "--no-dht", "--no-port-mapping", "--json", "--timeout", "60"]))
            + PrivateNetwork.WaitForLine(_data.PathOf(name + ".out"), "\"listening\"");
        string Groups(string label) =>
            $"sleep 1\necho \"{label} lo: $(ip maddr show dev lo | grep -c 239.192.152.143) lsd0: $(ip maddr show dev lsd0 | grep -c 239.192.152.143)\"\n";
        string script =
            "ip link add lsd0 type veth peer name lsd1\nip addr add 10.99.0.1/24 dev lsd0\nip link set lsd0 up\nip link set lsd1 up\n"
            + Seed("a", "127.0.0.1") + Groups("on-loopback") + "kill $A; wait $A 2>/dev/null\n"
            + Seed("b", "10.99.0.1") + Groups("on-lsd0") + "kill $B; wait $B 2>/dev/null\n";

        var result = await PrivateNetwork.RunAsync(script, Bound);
        output.WriteLine(result.StandardOutput + result.StandardError);

        Assert.Contains("on-loopback lo: 1 lsd0: 0", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("on-lsd0 lo: 0 lsd0: 1", result.StandardOutput, StringComparison.Ordinal);
    }

    private async Task<(string Source, string Torrent)> ContentAsync(int seed)
    {
        string source = _data.CreateFile("seed/content.bin", 4_000_037, seed);
        string torrent = _data.PathOf("content.torrent");
        await Libtorrent.CreateAsync(new LtCreateOptions(source, torrent));
        return (source, torrent);
    }

    // Starts a side in the background, its output in NAME.out/.err, its PID in $NAME.
    private string Background(string name, string command) =>
        $"{command} > {PrivateNetwork.Quote(_data.PathOf(name + ".out"))} 2> {PrivateNetwork.Quote(_data.PathOf(name + ".err"))} &\n{name.ToUpperInvariant()}=$!\n";

    // Runs the second side, timed, then stops the first by its PID.
    private string Foreground(string command) =>
        $"T0=$(date +%s.%N)\n{command} > {PrivateNetwork.Quote(_data.PathOf("second.out"))} 2> {PrivateNetwork.Quote(_data.PathOf("second.err"))}\nRC=$?\n"
        + "T1=$(date +%s.%N)\necho \"second side: exit $RC after $(echo \"$T1 - $T0\" | bc) s\"\n"
        + "kill $SEED 2>/dev/null; wait $SEED 2>/dev/null\nexit $RC\n";

    private static string Ours(IEnumerable<string> arguments) => OurCli.Command(arguments);

    private static string Lt(IEnumerable<string> arguments) =>
        string.Join(' ', new[] { Libtorrent.Python, Libtorrent.ScriptPath }.Concat(arguments).Select(PrivateNetwork.Quote));

    private async Task RunAsync(string script)
    {
        var result = await PrivateNetwork.RunAsync(script, Bound);
        output.WriteLine(result.StandardOutput);
        output.WriteLine(result.StandardError);
        foreach (var file in new[] { "seed.out", "seed.err", "second.out", "second.err" })
        {
            string path = _data.PathOf(file);
            if (File.Exists(path))
            {
                var lines = File.ReadAllLines(path);
                output.WriteLine($"--- {file} (last lines of {lines.Length.ToString(CultureInfo.InvariantCulture)})");
                output.WriteLine(string.Join('\n', lines.TakeLast(8)));
            }
        }

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardOutput}\n{result.StandardError}\n{Tail("second.err")}\n{Tail("seed.err")}");
    }

    private string Tail(string file) => File.Exists(_data.PathOf(file)) ? string.Join('\n', File.ReadAllLines(_data.PathOf(file)).TakeLast(10)) : "";

    private static void AssertSame(string expected, string actual) =>
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(expected)), SHA256.HashData(File.ReadAllBytes(actual)));
}
