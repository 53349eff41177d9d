using System.Globalization;
using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// Samples a torrent's connected peers every 20 ms while it runs and keeps how each was encrypted
/// (<see cref="PeerInfo.Encryption"/>) and what carried it (<see cref="PeerInfo.Transport"/>): a
/// 64 MiB transfer on loopback can be over in half a second, and peers that both end as seeds
/// disconnect, so a look at the end would see nobody.
/// Disposing stops the sampling.
/// </summary>
public sealed class PeerEncryptionWatch : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new();
    private readonly Dictionary<IPEndPoint, HashSet<PeerEncryption>> _seen = [];
    private readonly Dictionary<IPEndPoint, HashSet<PeerTransport>> _transports = [];
    private readonly Dictionary<IPEndPoint, PeerInfo> _last = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    private PeerEncryptionWatch(TorrentHandle handle) => _sampling = SampleAsync(handle, _stop.Token);

    /// <summary>Every encryption seen on any connected peer so far.</summary>
    public IReadOnlySet<PeerEncryption> Seen
    {
        get
        {
            lock (_gate)
            {
                return _seen.Values.SelectMany(s => s).ToHashSet();
            }
        }
    }

    public static PeerEncryptionWatch Start(TorrentHandle handle) => new(handle);

    /// <summary>The encryption seen on peers that moved payload either way (a connection that only said hello is left out).</summary>
    public IReadOnlySet<PeerEncryption> SeenMovingData
    {
        get
        {
            lock (_gate)
            {
                return _seen.Where(p => _last[p.Key] is { TotalDownload: > 0 } or { TotalUpload: > 0 }).SelectMany(p => p.Value).ToHashSet();
            }
        }
    }

    /// <summary>Every transport seen on any connected peer so far.</summary>
    public IReadOnlySet<PeerTransport> Transports
    {
        get
        {
            lock (_gate)
            {
                return _transports.Values.SelectMany(s => s).ToHashSet();
            }
        }
    }

    /// <summary>The transport of peers that moved payload either way (a connection that only said hello is left out).</summary>
    public IReadOnlySet<PeerTransport> TransportsMovingData
    {
        get
        {
            lock (_gate)
            {
                return _transports.Where(p => _last[p.Key] is { TotalDownload: > 0 } or { TotalUpload: > 0 }).SelectMany(p => p.Value).ToHashSet();
            }
        }
    }

    /// <summary>Each peer seen, its direction, client, payload moved, encryption(s) and transport(s), for failure messages.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            return _seen.Count == 0
                ? "no connected peer seen"
                : string.Join("; ", _seen.Select(p => string.Create(
                    CultureInfo.InvariantCulture,
                    $"{p.Key} {(_last[p.Key].IsOutgoing ? "out" : "in")} {_last[p.Key].Client} down={_last[p.Key].TotalDownload} up={_last[p.Key].TotalUpload}: {string.Join("/", p.Value)} over {string.Join("/", _transports[p.Key])}")));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }

    private async Task SampleAsync(TorrentHandle handle, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var peer in await handle.GetPeersAsync(stop))
                {
                    lock (_gate)
                    {
                        if (!_seen.TryGetValue(peer.EndPoint, out var set))
                        {
                            _seen[peer.EndPoint] = set = [];
                        }

                        set.Add(peer.Encryption);
                        if (!_transports.TryGetValue(peer.EndPoint, out var transports))
                        {
                            _transports[peer.EndPoint] = transports = [];
                        }

                        transports.Add(peer.Transport);
                        _last[peer.EndPoint] = peer;
                    }
                }

                await Task.Delay(Interval, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped.
        }
        catch (ObjectDisposedException)
        {
            // The session went away first.
        }
    }
}
