using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// Samples a torrent's connected peers every 20 ms while it runs and keeps how each was encrypted
/// (<see cref="PeerInfo.Encryption"/>): a 64 MiB transfer on loopback can be over in half a second,
/// and peers that both end as seeds disconnect, so a look at the end would see nobody.
/// Disposing stops the sampling.
/// </summary>
public sealed class PeerEncryptionWatch : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(20);

    private readonly object _gate = new();
    private readonly Dictionary<IPEndPoint, HashSet<PeerEncryption>> _seen = [];
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

    /// <summary>Each peer seen and its encryption(s), for failure messages.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            return _seen.Count == 0
                ? "no connected peer seen"
                : string.Join("; ", _seen.Select(p => $"{p.Key}: {string.Join("/", p.Value)}"));
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
