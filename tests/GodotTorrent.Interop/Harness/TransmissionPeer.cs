using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// transmission-daemon 3.00 in the foreground with its own config folder: DHT, LPD, PEX, port
/// forwarding and (unless asked for) uTP off, peers bound to 127.0.0.1 (and ::1), RPC on 127.0.0.1 without auth.
/// Driven over JSON-RPC (HttpClient, with the X-Transmission-Session-Id 409 handshake).
/// Transmission has no way to be told to dial a peer, and never dials 127.x peers learnt from a
/// tracker: the other side must dial <see cref="PeerPort"/>. Disposing kills the daemon by PID.
/// </summary>
public sealed class TransmissionPeer : IDisposable
{
    public const string Executable = "transmission-daemon";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan RpcTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly ToolProcess _process;
    private readonly HttpClient _http;
    private readonly Uri _rpc;
    private string? _sessionId;
    private int? _torrentId;
    private Stopwatch? _sinceAdded;
    private TimeSpan? _firstByte;

    private TransmissionPeer(ToolProcess process, int peerPort, int rpcPort, string configDirectory)
    {
        _process = process;
        PeerPort = peerPort;
        RpcPort = rpcPort;
        ConfigDirectory = configDirectory;
        _rpc = new Uri($"http://127.0.0.1:{rpcPort.ToString(CultureInfo.InvariantCulture)}/transmission/rpc");
        _http = new HttpClient { Timeout = RpcTimeout };
    }

    public int PeerPort { get; }

    public int RpcPort { get; }

    public string ConfigDirectory { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, PeerPort);

    public ToolProcess Process => _process;

    /// <summary>
    /// Starts a daemon whose config lives in <paramref name="configDirectory"/> (created; use a fresh
    /// one per daemon). <paramref name="encryption"/> is settings.json's <c>encryption</c>: 0 tolerated,
    /// 1 preferred (Transmission's default), 2 required (MSE with RC4 only); set at start, because
    /// changing it at run time left the daemon refusing every connection (README quirks).
    /// <paramref name="utp"/> is <c>utp-enabled</c>: it then accepts uTP (BEP 29) on <see cref="PeerPort"/> too.
    /// </summary>
    public static async Task<TransmissionPeer> StartAsync(string configDirectory, string downloadDirectory, int? encryption = null, bool utp = false, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(configDirectory);
        Directory.CreateDirectory(downloadDirectory);
        var peerPort = FreePort.Next();
        var rpcPort = FreePort.Next();
        var settings = new JsonObject
        {
            ["dht-enabled"] = false,
            ["lpd-enabled"] = false,
            ["pex-enabled"] = false,
            ["utp-enabled"] = utp,
            ["port-forwarding-enabled"] = false,
            ["bind-address-ipv4"] = "127.0.0.1",
            ["bind-address-ipv6"] = "::1",
            ["peer-port"] = peerPort,
            ["peer-port-random-on-start"] = false,
            ["rpc-enabled"] = true,
            ["rpc-bind-address"] = "127.0.0.1",
            ["rpc-port"] = rpcPort,
            ["rpc-authentication-required"] = false,
            ["rpc-whitelist-enabled"] = true,
            ["rpc-whitelist"] = "127.0.0.1",
            ["rpc-host-whitelist-enabled"] = false,
            ["download-dir"] = downloadDirectory,
            ["incomplete-dir-enabled"] = false,
            ["watch-dir-enabled"] = false,
            ["start-added-torrents"] = true,
            ["ratio-limit-enabled"] = false,
            ["idle-seeding-limit-enabled"] = false,
            ["speed-limit-up-enabled"] = false,
            ["speed-limit-down-enabled"] = false,
            ["alt-speed-enabled"] = false,
            ["blocklist-enabled"] = false,
            ["message-level"] = 1,
        };
        if (encryption is { } mode)
        {
            settings["encryption"] = mode;
        }

        await File.WriteAllTextAsync(Path.Combine(configDirectory, "settings.json"), settings.ToJsonString(), cancellationToken);

        var process = ToolProcess.Start(Executable, ["-f", "-g", configDirectory, "--log-error"]);
        var peer = new TransmissionPeer(process, peerPort, rpcPort, configDirectory);
        try
        {
            await ListeningSockets.WaitAsync([peerPort, rpcPort], StartTimeout, process, cancellationToken);
            return peer;
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A daemon seeding <paramref name="torrentPath"/> from <paramref name="dataDirectory"/> (the
    /// download-dir: a multi-file torrent's files are under dataDirectory/name/). Transmission
    /// verifies existing data when a torrent is added; returns once it seeds with everything checked.
    /// <paramref name="encryption"/> and <paramref name="utp"/>: see <see cref="StartAsync"/>.
    /// </summary>
    public static async Task<TransmissionPeer> StartSeedAsync(string torrentPath, string dataDirectory, string configDirectory, int? encryption = null, bool utp = false, CancellationToken cancellationToken = default)
    {
        var peer = await StartAsync(configDirectory, dataDirectory, encryption, utp, cancellationToken);
        try
        {
            await peer.AddTorrentAsync(torrentPath, dataDirectory, cancellationToken);
            await peer.WaitUntilAsync(s => s.Status == TransmissionStatus.Seeding && s.IsComplete, StartTimeout, "seeding with all data verified", cancellationToken);
            return peer;
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>A daemon downloading <paramref name="torrentPath"/> into <paramref name="outDirectory"/>; it waits for peers to dial <see cref="PeerPort"/>. <paramref name="encryption"/> and <paramref name="utp"/>: see <see cref="StartAsync"/>.</summary>
    public static async Task<TransmissionPeer> StartDownloadAsync(string torrentPath, string outDirectory, string configDirectory, int? encryption = null, bool utp = false, CancellationToken cancellationToken = default)
    {
        var peer = await StartAsync(configDirectory, outDirectory, encryption, utp, cancellationToken);
        try
        {
            await peer.AddTorrentAsync(torrentPath, outDirectory, cancellationToken);
            return peer;
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    /// <summary>torrent-add with the file's bytes (metainfo) and a download-dir; one torrent per daemon.</summary>
    public async Task AddTorrentAsync(string torrentPath, string downloadDirectory, CancellationToken cancellationToken = default)
    {
        var metainfo = Convert.ToBase64String(await File.ReadAllBytesAsync(torrentPath, cancellationToken));
        var response = await CallAsync(
            "torrent-add",
            new JsonObject { ["metainfo"] = metainfo, ["download-dir"] = downloadDirectory, ["paused"] = false },
            cancellationToken);
        var added = response["torrent-added"] ?? response["torrent-duplicate"]
            ?? throw new ToolFailedException($"transmission torrent-add answered {response.ToJsonString()}");
        _torrentId = added["id"]!.GetValue<int>();
        _sinceAdded = Stopwatch.StartNew();
    }

    public async Task<TransmissionStatus> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var id = _torrentId ?? throw new InvalidOperationException("no torrent added");
        var response = await CallAsync(
            "torrent-get",
            new JsonObject
            {
                ["ids"] = new JsonArray(id),
                ["fields"] = new JsonArray("status", "percentDone", "leftUntilDone", "sizeWhenDone", "haveValid", "downloadedEver", "uploadedEver", "peersConnected", "error", "errorString"),
            },
            cancellationToken);
        var t = response["torrents"]?.AsArray().FirstOrDefault()
            ?? throw new ToolFailedException($"transmission has no torrent {id}: {response.ToJsonString()}");
        var status = new TransmissionStatus(
            t["status"]!.GetValue<int>(),
            t["percentDone"]!.GetValue<double>(),
            t["leftUntilDone"]!.GetValue<long>(),
            t["sizeWhenDone"]!.GetValue<long>(),
            t["haveValid"]!.GetValue<long>(),
            t["downloadedEver"]!.GetValue<long>(),
            t["uploadedEver"]!.GetValue<long>(),
            t["peersConnected"]!.GetValue<int>(),
            t["error"]!.GetValue<int>(),
            t["errorString"]!.GetValue<string>());
        if (_firstByte is null && status.DownloadedEver > 0 && _sinceAdded is not null)
        {
            _firstByte = _sinceAdded.Elapsed;
        }

        return status;
    }

    /// <summary>Polls until every piece is downloaded and verified; throws on timeout or a torrent error.</summary>
    public async Task<PeerTransferResult> WaitForCompletionAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var status = await WaitUntilAsync(s => s.IsComplete, timeout, "complete", cancellationToken);
        return new PeerTransferResult(_sinceAdded!.Elapsed, _firstByte, status.DownloadedEver);
    }

    public void Dispose()
    {
        _http.Dispose();
        _process.Dispose();
    }

    private async Task<TransmissionStatus> WaitUntilAsync(Func<TransmissionStatus, bool> done, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new ToolFailedException($"{_process.CommandLine} exited while waiting for '{what}'; stderr: {_process.StandardError.Trim()}");
            }

            var status = await GetStatusAsync(cancellationToken);
            if (status.Error != 0)
            {
                throw new ToolFailedException($"transmission torrent error {status.Error}: {status.ErrorString}");
            }

            if (done(status))
            {
                return status;
            }

            if (clock.Elapsed > timeout)
            {
                throw new ToolFailedException($"transmission not '{what}' within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s: {status}; stderr: {_process.StandardError.Trim()}");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>One RPC call; answers 409 once by taking the new X-Transmission-Session-Id and retrying.</summary>
    private async Task<JsonObject> CallAsync(string method, JsonObject arguments, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["method"] = method, ["arguments"] = arguments }.ToJsonString();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _rpc)
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            if (_sessionId is not null)
            {
                request.Headers.Add("X-Transmission-Session-Id", _sessionId);
            }

            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Conflict
                && response.Headers.TryGetValues("X-Transmission-Session-Id", out var ids))
            {
                _sessionId = ids.First();
                continue;
            }

            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new ToolFailedException($"transmission RPC {method}: HTTP {(int)response.StatusCode}: {text}");
            }

            var json = JsonNode.Parse(text)?.AsObject() ?? throw new ToolFailedException($"transmission RPC {method}: not JSON: {text}");
            if (json["result"]?.GetValue<string>() != "success")
            {
                throw new ToolFailedException($"transmission RPC {method} failed: {text}");
            }

            return json["arguments"]?.AsObject() ?? [];
        }

        throw new ToolFailedException($"transmission RPC {method}: 409 twice");
    }
}
