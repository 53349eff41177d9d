using System.Globalization;
using System.Net;
using System.Text.Json;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// A long-running libtorrent peer (<c>lt_tool.py seed</c> or <c>download</c>) on 127.0.0.1,
/// DHT/LSD/UPnP/NAT-PMP off, TCP only unless given another <see cref="LtTransport"/>. It dials the peers it is given every few seconds until they are
/// connected (and stops once it has seen them as seeds), so the other side needs no tracker.
/// Disposing kills the process by PID.
/// </summary>
public sealed class LibtorrentPeer : IDisposable
{
    /// <summary>Bound for start-up: session up and, for a seed, the data checked.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly ToolProcess _process;

    private LibtorrentPeer(ToolProcess process, int port, IPAddress address)
    {
        _process = process;
        Port = port;
        Address = address;
    }

    /// <summary>The port the peer listens on, on <see cref="Address"/> (TCP, and UDP for uTP when that is on).</summary>
    public int Port { get; }

    /// <summary>Where it listens: 127.0.0.1 unless started with another address.</summary>
    public IPAddress Address { get; }

    public IPEndPoint EndPoint => new(Address, Port);

    public ToolProcess Process => _process;

    /// <summary>Payload bytes uploaded, from the latest once-a-second stats line.</summary>
    public long Uploaded => LastNumber("stats", "uploaded") ?? 0;

    /// <summary>Payload bytes downloaded, from the latest progress line (5 a second).</summary>
    public long Downloaded => LastNumber("progress", "downloaded") ?? 0;

    /// <summary>
    /// libtorrent's own view of the encryption of every peer it held connected so far ("rc4",
    /// "plaintext" after an MSE handshake, "none" without one), from its latest stats, progress or
    /// complete line.
    /// </summary>
    public IReadOnlyList<string> EncryptionSeen => LastList("encryption_seen");

    /// <summary>
    /// libtorrent's own view of the transport of every peer it held connected so far ("utp" or
    /// "tcp"), from its latest stats, progress or complete line.
    /// </summary>
    public IReadOnlyList<string> TransportsSeen => LastList("transports_seen");

    /// <summary>
    /// Seeds <paramref name="torrentPath"/> from <paramref name="dataDirectory"/> (the save path: a
    /// multi-file torrent's files are under dataDirectory/name/). Returns once libtorrent has
    /// checked the data and seeds; throws when the data is incomplete.
    /// </summary>
    public static async Task<LibtorrentPeer> StartSeedAsync(
        string torrentPath,
        string dataDirectory,
        IEnumerable<IPEndPoint>? peers = null,
        int port = 0,
        long uploadLimit = 0,
        TimeSpan? lifetime = null,
        LtEncryption? encryption = null,
        LtTransport transport = LtTransport.TcpOnly,
        CancellationToken cancellationToken = default)
    {
        List<string> args = ["seed", "--torrent", torrentPath, "--data", dataDirectory, "--port", Invariant(port)];
        if (uploadLimit > 0)
        {
            args.AddRange(["--upload-limit", Invariant(uploadLimit)]);
        }

        args.AddRange(encryption?.Arguments() ?? []);
        args.AddRange(["--transport", TransportArgument(transport)]);

        var peer = await StartAsync(args, peers, lifetime, null, null, cancellationToken);
        try
        {
            await peer._process.WaitForLineAsync(line => IsEvent(line, "seeding") || IsEvent(line, "error"), StartTimeout, cancellationToken);
            if (peer.Event("error") is { } error)
            {
                throw new ToolFailedException($"{peer._process.CommandLine}: {error}");
            }

            return peer;
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Downloads a .torrent file or a magnet URI (metadata from the peers via ut_metadata) into
    /// <paramref name="outDirectory"/>. Returns once the session listens; see <see cref="WaitForCompletionAsync"/>.
    /// <paramref name="listen"/> replaces 127.0.0.1; <paramref name="namespaceStarter"/> starts the
    /// script inside a network namespace (<see cref="NatRouter.StartIn"/>) instead of here.
    /// </summary>
    public static Task<LibtorrentPeer> StartDownloadAsync(
        string torrentOrMagnet,
        string outDirectory,
        IEnumerable<IPEndPoint>? peers = null,
        int port = 0,
        TimeSpan? seedAfter = null,
        TimeSpan? lifetime = null,
        LtEncryption? encryption = null,
        LtTransport transport = LtTransport.TcpOnly,
        IPAddress? listen = null,
        Func<string, IEnumerable<string>, ToolProcess>? namespaceStarter = null,
        CancellationToken cancellationToken = default)
    {
        var source = torrentOrMagnet.StartsWith("magnet:", StringComparison.OrdinalIgnoreCase) ? "--magnet" : "--torrent";
        List<string> args = ["download", source, torrentOrMagnet, "--out", outDirectory, "--port", Invariant(port)];
        if (seedAfter is { } after)
        {
            args.AddRange(["--seed-after", Invariant(after.TotalSeconds)]);
        }

        args.AddRange(encryption?.Arguments() ?? []);
        args.AddRange(["--transport", TransportArgument(transport)]);
        if (listen is not null)
        {
            args.AddRange(["--listen", listen.ToString()]);
        }

        return StartAsync(args, peers, lifetime, listen, namespaceStarter, cancellationToken);
    }

    /// <summary>
    /// Waits, bounded, for a line that reports the encryption of at least one connected peer (a
    /// seed reports once a second, so a short transfer can end before it does) and returns <see cref="EncryptionSeen"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitForEncryptionSeenAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await _process.WaitForLineAsync(l => l.Contains("\"encryption_seen\": [\"", StringComparison.Ordinal), timeout, cancellationToken);
        return EncryptionSeen;
    }

    /// <summary>
    /// Waits, bounded, for a line that reports the transport of at least one connected peer (see
    /// <see cref="WaitForEncryptionSeenAsync"/>) and returns <see cref="TransportsSeen"/>.
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitForTransportsSeenAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        await _process.WaitForLineAsync(l => l.Contains("\"transports_seen\": [\"", StringComparison.Ordinal), timeout, cancellationToken);
        return TransportsSeen;
    }

    /// <summary>
    /// Waits, bounded, for the download to be complete with every piece hash-checked. Throws
    /// <see cref="ToolFailedException"/> on timeout (the process is killed) or an error.
    /// </summary>
    public async Task<PeerTransferResult> WaitForCompletionAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var line = await _process.WaitForLineAsync(
            l => IsEvent(l, "complete") || IsEvent(l, "timeout") || IsEvent(l, "error"), timeout, cancellationToken);
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        if (root.GetProperty("event").GetString() != "complete")
        {
            throw new ToolFailedException($"{_process.CommandLine}: {line}; stderr: {_process.StandardError.Trim()}");
        }

        var firstByte = root.GetProperty("first_byte_seconds");
        return new PeerTransferResult(
            TimeSpan.FromSeconds(root.GetProperty("seconds").GetDouble()),
            firstByte.ValueKind == JsonValueKind.Number ? TimeSpan.FromSeconds(firstByte.GetDouble()) : null,
            root.GetProperty("downloaded").GetInt64());
    }

    public void Dispose() => _process.Dispose();

    private static async Task<LibtorrentPeer> StartAsync(
        List<string> args,
        IEnumerable<IPEndPoint>? peers,
        TimeSpan? lifetime,
        IPAddress? listen,
        Func<string, IEnumerable<string>, ToolProcess>? namespaceStarter,
        CancellationToken cancellationToken)
    {
        if (!File.Exists(Libtorrent.ScriptPath))
        {
            throw new ToolFailedException($"{Libtorrent.ScriptPath} is missing: the csproj copies tools/** to the output folder");
        }

        foreach (var peer in peers ?? [])
        {
            args.AddRange(["--peer", peer.ToString()]);
        }

        // The script's own bound; the harness kills it earlier on dispose.
        args.AddRange(["--timeout", Invariant((lifetime ?? TimeSpan.FromMinutes(5)).TotalSeconds)]);
        args.Insert(0, Libtorrent.ScriptPath);
        var process = namespaceStarter is null ? ToolProcess.Start(Libtorrent.Python, args) : namespaceStarter(Libtorrent.Python, args);
        try
        {
            var line = await process.WaitForLineAsync(l => IsEvent(l, "listening") || IsEvent(l, "error"), StartTimeout, cancellationToken);
            using var doc = JsonDocument.Parse(line);
            if (!doc.RootElement.TryGetProperty("port", out var port))
            {
                throw new ToolFailedException($"{process.CommandLine}: {line}");
            }

            return new LibtorrentPeer(process, port.GetInt32(), listen ?? IPAddress.Loopback);
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    private static string TransportArgument(LtTransport transport) => transport switch
    {
        LtTransport.TcpOnly => "tcp",
        LtTransport.UtpOnly => "utp",
        LtTransport.Both => "both",
        _ => throw new ArgumentOutOfRangeException(nameof(transport), transport, null),
    };

    private static bool IsEvent(string line, string name) =>
        line.StartsWith('{') && line.Contains($"\"event\": \"{name}\"", StringComparison.Ordinal);

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);

    private string? Event(string name) =>
        _process.StandardOutput.Split('\n').FirstOrDefault(l => IsEvent(l, name));

    /// <summary>The string list <paramref name="property"/> of the latest line that has it (empty before any).</summary>
    private IReadOnlyList<string> LastList(string property)
    {
        var line = _process.StandardOutput.Split('\n').LastOrDefault(l => l.Contains($"\"{property}\"", StringComparison.Ordinal));
        if (line is null)
        {
            return [];
        }

        using var doc = JsonDocument.Parse(line);
        return [.. doc.RootElement.GetProperty(property).EnumerateArray().Select(e => e.GetString() ?? string.Empty)];
    }

    private long? LastNumber(string name, string property)
    {
        var line = _process.StandardOutput.Split('\n').LastOrDefault(l => IsEvent(l, name));
        if (line is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.TryGetProperty(property, out var value) ? value.GetInt64() : null;
    }
}
