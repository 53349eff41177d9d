using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using GodotTorrent.Interop.Harness;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// Interface binding with our CLI in network namespaces the test makes (root): "host" has two
/// interfaces, bindA (10.77.1.1, fd77:1::1) to namespace "a" and bindB (10.77.2.1) to namespace
/// "b"; nothing has a route out. <c>--listen bindA</c> must take connections from "a" over IPv4
/// and IPv6 and refuse them on bindB's address; <c>--outgoing-interface bindB</c> must make a
/// dial to "a" leave from 10.77.2.1 even though the route goes through bindA.
/// </summary>
public sealed class InterfaceBindingInteropTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    // A BitTorrent handshake to argv[1]:argv[2] for info-hash argv[3]: prints the info-hash answered, "refused" or "closed".
    private const string Handshake = """
        import socket, sys
        host, port, ih = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3])
        s = socket.socket(socket.AF_INET6 if ':' in host else socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(10)
        try:
            s.connect((host, port))
        except ConnectionRefusedError:
            print('refused'); sys.exit(0)
        s.sendall(b'\x13BitTorrent protocol' + bytes(8) + ih + b'-PY0001-' + b'0' * 12)
        r = b''
        while len(r) < 68:
            c = s.recv(68 - len(r))
            if not c: break
            r += c
        print('answered ' + r[28:48].hex() if len(r) == 68 else 'closed')
        """;

    // Accepts on argv[1]:argv[2] and prints each connection's source address (then closes it); ends after 60 s idle.
    private const string Recorder = """
        import socket, sys
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((sys.argv[1], int(sys.argv[2]))); s.listen(8); s.settimeout(60)
        print('ready', flush=True)
        while True:
            c, a = s.accept(); print('from ' + a[0], flush=True); c.close()
        """;

    private const string Python = "/usr/bin/python3";

    private readonly TestData _data = TestData.Create();
    private readonly List<NetNamespace> _namespaces = [];
    private NetNamespace _host = null!;
    private NetNamespace _a = null!;
    private NetNamespace _b = null!;

    public async Task InitializeAsync()
    {
        _host = await AddAsync("gtb-host");
        _a = await AddAsync("gtb-a");
        _b = await AddAsync("gtb-b");
        await NetNamespace.LinkAsync(_host, "bindA", ["10.77.1.1/24", "fd77:1::1/64"], _a, "peer0", ["10.77.1.2/24", "fd77:1::2/64"]);
        await NetNamespace.LinkAsync(_host, "bindB", ["10.77.2.1/24"], _b, "peer0", ["10.77.2.2/24"]);
    }

    public Task DisposeAsync()
    {
        foreach (var ns in _namespaces)
        {
            ns.Dispose();
        }

        _data.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Listening_on_an_interface_by_name_accepts_peers_there_on_both_families_and_refuses_them_on_the_other_interface()
    {
        var (torrent, source, infoHash) = await CreateTorrentAsync();
        using var seed = _host.Start("dotnet",
            [OurCli.DllPath, "seed", torrent, "--data", _data.PathOf("seed"), "--listen", "bindA", "--port", "0", "--no-dht", "--json", "--timeout", "120"]);
        var listening = JsonDocument.Parse(await seed.WaitForLineAsync(l => l.Contains("\"listening\"", StringComparison.Ordinal), Bound)).RootElement;
        int port = listening.GetProperty("port").GetInt32();
        string p = port.ToString(CultureInfo.InvariantCulture);
        output.WriteLine(listening.ToString());

        Assert.Equal(new[] { $"10.77.1.1:{p}", $"[fd77:1::1]:{p}" }.Order(), listening.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()!).Order());
        Assert.Equal($"answered {infoHash}", await HandshakeAsync(_a, "10.77.1.1", port, infoHash));
        Assert.Equal($"answered {infoHash}", await HandshakeAsync(_a, "fd77:1::1", port, infoHash));
        Assert.Equal("refused", await HandshakeAsync(_b, "10.77.2.1", port, infoHash));

        var clock = Stopwatch.StartNew();
        var download = await _a.RunAsync("dotnet",
            [OurCli.DllPath, "download", torrent, "--out", _data.PathOf("a"), "--peer", $"10.77.1.1:{p}", "--listen", "peer0", "--port", "0", "--no-dht", "--timeout", "60"],
            Bound);
        output.WriteLine($"download over bindA: exit {download.ExitCode} in {clock.Elapsed.TotalSeconds:F1} s\n{download.StandardError}");

        Assert.Equal(0, download.ExitCode);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(source)), SHA256.HashData(File.ReadAllBytes(_data.PathOf("a/content.bin"))));
    }

    [Fact]
    public async Task Outgoing_interface_makes_our_connections_leave_from_that_interface_address()
    {
        var (torrent, source, _) = await CreateTorrentAsync();
        // "a" answers bindB's subnet through the host, so a connection from 10.77.2.1 can complete.
        await _a.IpAsync("route", "add", "10.77.2.0/24", "via", "10.77.1.1");
        using var recorder = _a.Start(Python, ["-c", Recorder, "10.77.1.2", "6990"]);
        await recorder.WaitForLineAsync(l => l == "ready", Bound);

        // Without the option the system picks bindA's address (the route's); with it, bindB's.
        Assert.Equal("from 10.77.1.1", await DialFromHostAsync(torrent, recorder, []));
        Assert.Equal("from 10.77.2.1", await DialFromHostAsync(torrent, recorder, ["--outgoing-interface", "bindB"]));

        using var seed = _a.Start("dotnet",
            [OurCli.DllPath, "seed", torrent, "--data", _data.PathOf("seed"), "--listen", "peer0", "--port", "6991", "--no-dht", "--json", "--timeout", "120"]);
        await seed.WaitForLineAsync(l => l.Contains("\"listening\"", StringComparison.Ordinal), Bound);
        var clock = Stopwatch.StartNew();
        var download = await _host.RunAsync("dotnet",
            [OurCli.DllPath, "download", torrent, "--out", _data.PathOf("host"), "--peer", "10.77.1.2:6991", "--outgoing-interface", "bindB", "--listen", "bindB", "--port", "0", "--no-dht", "--timeout", "60"],
            Bound);
        output.WriteLine($"download from bindB's address: exit {download.ExitCode} in {clock.Elapsed.TotalSeconds:F1} s\n{download.StandardError}");

        Assert.Equal(0, download.ExitCode);
        Assert.Equal(SHA256.HashData(File.ReadAllBytes(source)), SHA256.HashData(File.ReadAllBytes(_data.PathOf("host/content.bin"))));
    }

    private async Task<NetNamespace> AddAsync(string prefix)
    {
        var ns = await NetNamespace.CreateAsync(prefix);
        _namespaces.Add(ns);
        return ns;
    }

    private async Task<(string Torrent, string Source, string InfoHash)> CreateTorrentAsync()
    {
        string source = _data.CreateFile("seed/content.bin", 3_000_017, seed: 77);
        string torrent = _data.PathOf("content.torrent");
        var info = await Libtorrent.CreateAsync(new LtCreateOptions(source, torrent));
        return (torrent, source, info.InfoHashV1!);
    }

    private static async Task<string> HandshakeAsync(NetNamespace from, string host, int port, string infoHash)
    {
        var result = await from.RunAsync(Python, ["-c", Handshake, host, port.ToString(CultureInfo.InvariantCulture), infoHash], Bound);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return result.StandardOutput.Trim();
    }

    /// <summary>A download in the host dialling the recorder; returns the next source address the recorder saw, then stops the download.</summary>
    private async Task<string> DialFromHostAsync(string torrent, ToolProcess recorder, IReadOnlyList<string> options)
    {
        int seen = recorder.StandardOutput.Split('\n').Count(l => l.StartsWith("from ", StringComparison.Ordinal));
        using var download = _host.Start("dotnet",
            new[] { OurCli.DllPath, "download", torrent, "--out", _data.PathOf("dial"), "--peer", "10.77.1.2:6990", "--listen", "lo", "--port", "0", "--no-dht", "--timeout", "60" }.Concat(options));
        int index = 0;
        return await recorder.WaitForLineAsync(l => l.StartsWith("from ", StringComparison.Ordinal) && index++ == seen, Bound);
    }
}
