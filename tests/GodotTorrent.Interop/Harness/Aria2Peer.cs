using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// aria2c 1.36 as a peer on 127.0.0.1 (TCP; DHT, LSD, PEX, IPv6 off; trackers ignored with
/// <c>--bt-exclude-tracker='*'</c>). It has no option to dial a given peer, so the other side
/// must dial <see cref="Port"/>. Disposing kills the process by PID.
/// </summary>
public sealed class Aria2Peer : IDisposable
{
    public const string Executable = "aria2c";

    /// <summary>Bound for start-up (for a seed: including aria2's check of the data, -V).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ToolProcess _process;
    private readonly Stopwatch _clock;

    private Aria2Peer(ToolProcess process, int port, Stopwatch clock)
    {
        _process = process;
        Port = port;
        _clock = clock;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public ToolProcess Process => _process;

    /// <summary>
    /// Downloads into <paramref name="outDirectory"/>; aria2 exits 0 when complete (--seed-time=0).
    /// <paramref name="requireRc4"/>: only MSE with RC4 (--bt-require-crypto, --bt-min-crypto-level=arc4).
    /// </summary>
    public static Task<Aria2Peer> StartDownloadAsync(string torrentPath, string outDirectory, bool requireRc4 = false, CancellationToken cancellationToken = default) =>
        StartAsync(torrentPath, outDirectory, ["--seed-time=0", .. CryptoArguments(requireRc4)], cancellationToken);

    /// <summary>
    /// Seeds <paramref name="torrentPath"/> from <paramref name="dataDirectory"/> (the save path).
    /// aria2 checks the data first (-V) and listens only then; returns once it listens.
    /// Seeding stops after <paramref name="seedTime"/> (default 5 min) or on dispose.
    /// <paramref name="requireRc4"/>: see <see cref="StartDownloadAsync"/>.
    /// </summary>
    public static Task<Aria2Peer> StartSeedAsync(string torrentPath, string dataDirectory, TimeSpan? seedTime = null, bool requireRc4 = false, CancellationToken cancellationToken = default)
    {
        // --seed-time is in minutes; --seed-ratio=0.0 means no ratio limit.
        var minutes = (seedTime ?? TimeSpan.FromMinutes(5)).TotalMinutes.ToString("0.###", CultureInfo.InvariantCulture);
        return StartAsync(torrentPath, dataDirectory, ["--seed-ratio=0.0", "--seed-time=" + minutes, "-V", .. CryptoArguments(requireRc4)], cancellationToken);
    }

    /// <summary>Waits, bounded, for aria2 to exit 0 (download complete); throws otherwise.</summary>
    public async Task<PeerTransferResult> WaitForCompletionAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var result = await _process.WaitForExitAsync(timeout, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new ToolFailedException($"{_process.CommandLine} exited with {result.ExitCode}: {result.StandardOutput.Trim()} {result.StandardError.Trim()}");
        }

        return new PeerTransferResult(_clock.Elapsed, null, 0);
    }

    public void Dispose() => _process.Dispose();

    private static string[] CryptoArguments(bool requireRc4) =>
        requireRc4 ? ["--bt-require-crypto=true", "--bt-min-crypto-level=arc4"] : [];

    private static async Task<Aria2Peer> StartAsync(string torrentPath, string directory, IEnumerable<string> extra, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        List<string> args =
        [
            "--no-conf=true",
            "--enable-dht=false",
            "--enable-dht6=false",
            "--bt-enable-lpd=false",
            "--enable-peer-exchange=false",
            "--interface=127.0.0.1",
            "--disable-ipv6=true",
            "--listen-port=" + port.ToString(CultureInfo.InvariantCulture),
            "--bt-exclude-tracker=*",
            "--file-allocation=none",
            "--summary-interval=0",
            "--console-log-level=warn",
            "--dir", directory,
        ];
        args.AddRange(extra);
        args.Add(torrentPath);
        var clock = Stopwatch.StartNew();
        var process = ToolProcess.Start(Executable, args);
        try
        {
            await ListeningSockets.WaitAsync([port], StartTimeout, process, cancellationToken);
            return new Aria2Peer(process, port, clock);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }
}
