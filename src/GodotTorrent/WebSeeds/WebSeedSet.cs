using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Session;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.WebSeeds;

/// <summary>
/// One torrent's running web seeds (BEP 19): started while the torrent downloads, stopped when it
/// is complete, paused, upload-only or removed, or when its URL is removed; failures back off
/// (doubling, capped, or as long as <c>Retry-After</c> says); a web seed that keeps breaking the
/// rules or whose pieces fail the hash is dropped with a <see cref="UrlSeedAlert"/>. Web seeds
/// stay out of the peers' smart ban and IP bans: a CDN address is not a peer. Engine loop only.
/// </summary>
internal sealed class WebSeedSet(TorrentSession session, IWebSeedHost host, Dictionary<int, WebSeedPeer> seeds, ILogger logger)
{
    /// <summary>Bad replies (wrong range, 4xx, redirect loops) before a web seed is dropped.</summary>
    public const int MaxProtocolStrikes = 3;

    /// <summary>Failed pieces made only of a web seed's data before it is dropped.</summary>
    public const int MaxHashFailures = 3;

    private const int RefillEveryBlocks = 16;

    private static readonly TimeSpan FirstBackOff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(60);

    private readonly HashSet<string> _dropped = new(StringComparer.Ordinal);
    private readonly List<WebSeedPeer> _scratch = [];
    private Swarm.PiecePicker? _picker;

    private DateTimeOffset Now => session.Time.GetUtcNow();

    /// <summary>Starts and stops web seeds to match the torrent's state and URLs; cheap to call often.</summary>
    public void Update()
    {
        var picker = host.Picker;
        bool wanted = host.WantsWebSeeds && session.Settings.EnableWebSeeds && host.Torrent is not null && picker is not null;
        if (!wanted && seeds.Count == 0)
        {
            // The common case of a seeding or paused torrent: nothing to do, nothing allocated.
            _picker = picker;
            return;
        }

        if (!wanted || !ReferenceEquals(picker, _picker))
        {
            StopAll();
        }

        _picker = picker;
        if (!wanted)
        {
            return;
        }

        // Loops, not LINQ: this runs every second for every downloading torrent.
        var urls = host.WebSeedUrls;
        _scratch.Clear();
        foreach (var seed in seeds.Values)
        {
            if (IndexOf(urls, seed.Url) < 0)
            {
                _scratch.Add(seed);
            }
        }

        foreach (var removed in _scratch)
        {
            Stop(removed);
        }

        _scratch.Clear();
        if (_dropped.Count > 0)
        {
            _dropped.IntersectWith(urls);
        }

        for (int i = 0; i < urls.Count; i++)
        {
            if (!_dropped.Contains(urls[i]) && !IsRunning(urls[i]))
            {
                Start(urls[i]);
            }
        }
    }

    private static int IndexOf(IReadOnlyList<string> urls, string url)
    {
        for (int i = 0; i < urls.Count; i++)
        {
            if (string.Equals(urls[i], url, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private bool IsRunning(string url)
    {
        foreach (var seed in seeds.Values)
        {
            if (string.Equals(seed.Url, url, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The once-a-second work: rates, back-offs that ended, and requests.</summary>
    public void Tick(DateTimeOffset now)
    {
        if (seeds.Count == 0)
        {
            return;
        }

        foreach (var seed in seeds.Values)
        {
            seed.Download.Tick();
            if (seed.PeerChoking && seed.RetryAt <= now)
            {
                seed.EndBackOff();
                _picker?.PeerUnchoked(seed.Id);
            }

            host.Refill(seed);
        }
    }

    /// <summary>Forgets that URLs were dropped, so re-adding one tries it again.</summary>
    public void Forget(string url) => _dropped.Remove(url);

    public IReadOnlyList<PeerInfo> GetPeers() => seeds.Values.Select(ToPeerInfo).ToList();

    /// <summary>A piece whose every block came from <paramref name="seed"/> failed its hash check.</summary>
    public void PieceFailed(WebSeedPeer seed, int piece)
    {
        seed.HashFailures++;
        logger.LogDebug("Piece {Piece} from web seed {Url} failed its hash check ({Count})", piece, seed.Url, seed.HashFailures);
        if (seed.HashFailures >= MaxHashFailures && !seed.IsClosed)
        {
            Drop(seed, new WebSeedFailure(ErrorCode.WebSeedHashFailed, 0, $"{seed.HashFailures} pieces of its data failed the hash check", Permanent: true));
        }
    }

    public void StopAll()
    {
        _scratch.Clear();
        _scratch.AddRange(seeds.Values);
        foreach (var seed in _scratch)
        {
            Stop(seed);
        }

        _scratch.Clear();
    }

    private void Start(string url)
    {
        var settings = session.Settings;
        var handler = session.Services.CreateHttpHandler();
        // Redirects are followed by the fetcher, which bounds them and sees loops.
        if (handler is SocketsHttpHandler sockets)
        {
            sockets.AllowAutoRedirect = false;
            sockets.MaxConnectionsPerServer = settings.WebSeedConnectionsPerServer;
            sockets.AutomaticDecompression = DecompressionMethods.None;
        }
        else if (handler is HttpClientHandler client)
        {
            client.AllowAutoRedirect = false;
            client.MaxConnectionsPerServer = settings.WebSeedConnectionsPerServer;
            client.AutomaticDecompression = DecompressionMethods.None;
        }

        var services = new WebSeedServices(handler, session.Time, session.Loop, session.Services.Background,
            settings.WebSeedConnectionsPerServer, settings.WebSeedRequestTimeout, settings.UserAgent);
        var seed = new WebSeedPeer(session.NextPeerId(), url, host.Torrent!, services, OnBlock, OnRunEnded);
        seeds.Add(seed.Id, seed);
        _picker!.PeerHasAll(seed.Id);
        _picker.PeerPrefersRuns(seed.Id);
        _picker.PeerUnchoked(seed.Id);
        logger.LogDebug("Web seed {Url} started", url);
        host.Refill(seed);
    }

    private void Stop(WebSeedPeer seed)
    {
        if (!seeds.Remove(seed.Id))
        {
            return;
        }

        host.Requests.DropAll(seed, sendCancels: false);
        _picker?.PeerLeft(seed.Id);
        seed.Dispose();
    }

    private void Drop(WebSeedPeer seed, WebSeedFailure failure)
    {
        logger.LogInformation("Web seed {Url} dropped: {Reason}", seed.Url, failure.Message);
        _dropped.Add(seed.Url);
        Stop(seed);
        session.Alerts.Post(new UrlSeedAlert(host.Handle, seed.Url, failure.HttpStatus, failure.Code, $"{failure.Message}; no longer used", Dropped: true));
    }

    private void OnBlock(WebSeedPeer seed, Swarm.BlockRequest block, byte[] buffer)
    {
        if (seed.IsClosed)
        {
            BlockPool.Shared.Return(buffer);
            return;
        }

        host.OnBlock(seed, block, buffer);

        // Topping the queue up every few blocks keeps the next GET ready without a pick per block.
        if (++seed.BlocksSinceRefill >= RefillEveryBlocks)
        {
            seed.BlocksSinceRefill = 0;
            host.Refill(seed);
        }
    }

    private void OnRunEnded(WebSeedPeer seed, WebSeedRun run, WebSeedFailure? failure)
    {
        if (seed.IsClosed)
        {
            return;
        }

        // Blocks the run did not deliver go back to the picker (a failure, or a cut-short body).
        foreach (var block in run.Blocks)
        {
            if (seed.Outstanding.ContainsKey(PiecePicker.Key(block.Piece, block.BlockIndex)))
            {
                host.Requests.Rejected(seed, block);
            }
        }

        if (failure is null)
        {
            seed.FailuresInARow = 0;
            seed.LastFailure = null;
            host.Refill(seed);
            return;
        }

        seed.LastFailure = failure;
        seed.FailuresInARow++;
        if (failure.Permanent && ++seed.ProtocolStrikes >= MaxProtocolStrikes)
        {
            Drop(seed, failure);
            return;
        }

        var delay = failure.RetryAfter ?? TimeSpan.FromTicks(Math.Min(MaxBackOff.Ticks, FirstBackOff.Ticks << Math.Min(seed.FailuresInARow - 1, 16)));
        logger.LogDebug("Web seed {Url} failed ({Reason}); retrying in {Delay}", seed.Url, failure.Message, delay);
        host.Requests.DropAll(seed, sendCancels: true);
        _picker?.PeerChoked(seed.Id);
        seed.BackOff(Now + delay);
        session.Alerts.Post(new UrlSeedAlert(host.Handle, seed.Url, failure.HttpStatus, failure.Code, $"{failure.Message}; retrying in {delay.TotalSeconds:0.#} s", Dropped: false));
    }

    private PeerInfo ToPeerInfo(WebSeedPeer seed) => new()
    {
        EndPoint = EndPointOf(seed.Url),
        Client = "web seed",
        PeerId = string.Empty,
        IsOutgoing = true,
        Progress = 1,
        IsSeed = true,
        AmInterested = seed.AmInterested,
        AmChoking = true,
        PeerChoking = seed.PeerChoking,
        DownloadRate = seed.Download.Rate(),
        TotalDownload = seed.Download.Total,
        PendingRequests = seed.Outstanding.Count,
        HashFailures = seed.HashFailures,
        Source = "web_seed",
        ConnectedAt = seed.ConnectedAt,
        PiecesDownloaded = seed.Have?.SetCount ?? 0,
        LastRequest = seed.LastRequest is { } sent ? Now - sent : null,
        WebSeedUrl = seed.Url,
        WebSeedHttpStatus = seed.LastFailure?.HttpStatus ?? 0,
        WebSeedError = seed.LastFailure?.Message,
    };

    // HTTP may reach a server through several addresses; the snapshot names none (0.0.0.0) and the URL's port.
    private static IPEndPoint EndPointOf(string url) =>
        new(IPAddress.Any, Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Port is > 0 and <= 65535 ? uri.Port : 0);
}
