using System.Collections.Concurrent;
using GodotTorrent.Session;

namespace GodotTorrent.Integration;

/// <summary>
/// The last known peers of each torrent, readable at once from a game's main thread (GDScript
/// cannot await). <see cref="RefreshAsync"/> asks the engine loop for a new list (at most one
/// request per torrent in flight) and stores it when it arrives; callers refresh it together with
/// the status. Holds one list per torrent; <see cref="Forget"/> drops a removed one.
/// </summary>
public sealed class PeerSnapshotCache
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<PeerInfo>> _peers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _pending = new(StringComparer.Ordinal);

    /// <summary>Torrents with a stored list.</summary>
    public int Count => _peers.Count;

    /// <summary>The last stored peers of <paramref name="key"/> (empty before the first refresh).</summary>
    public IReadOnlyList<PeerInfo> Get(string key) => _peers.TryGetValue(key, out var peers) ? peers : [];

    /// <summary>
    /// Asks <paramref name="handle"/> for its peers and stores them under <paramref name="key"/>;
    /// while a request for that key is in flight, returns it instead of asking again. A removed
    /// torrent (or a stopped session) leaves the stored list as it was.
    /// </summary>
    public Task RefreshAsync(string key, TorrentHandle handle)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(handle);
        return _pending.GetOrAdd(key, k => FetchAsync(k, handle));
    }

    /// <summary>Drops <paramref name="key"/>'s list.</summary>
    public void Forget(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _peers.TryRemove(key, out _);
    }

    private async Task FetchAsync(string key, TorrentHandle handle)
    {
        await Task.Yield();
        try
        {
            if (handle.IsValid)
            {
                var peers = await handle.GetPeersAsync().ConfigureAwait(false);
                if (handle.IsValid)
                {
                    _peers[key] = peers;
                }
            }
        }
        catch (Exception e) when (e is TorrentException or ObjectDisposedException or OperationCanceledException)
        {
            // Removed or stopped meanwhile: the old list stays until Forget.
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }
}
