using GodotTorrent.Alerts;
using GodotTorrent.Dht.Items;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Discovery;

/// <summary>
/// BEP 46 follower: resolves an update channel (a public key and salt) to its current info-hash,
/// and re-reads the channel of every torrent added from one each interval
/// (<see cref="SessionSettings.DhtFollowInterval"/>, read at each read); a
/// higher sequence number naming another info-hash is reported once (alert and event). The new
/// version is not added here: that is the application's choice. Engine loop only.
/// </summary>
internal sealed class DhtFollower(DhtItems items, AlertManager alerts, TimeProvider time, Func<TimeSpan> interval, ILogger logger)
{
    /// <summary>How often a followed channel is read again by default (<see cref="SessionSettings.DhtFollowInterval"/>).</summary>
    public static readonly TimeSpan FollowInterval = TimeSpan.FromMinutes(5);

    /// <summary>How long resolving a channel may take before the add fails, and a later read before it is given up (a real lookup ends within 60 s).</summary>
    public static readonly TimeSpan ResolveTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The pause before a resolve asks again after a lookup found no item.</summary>
    public static readonly TimeSpan ResolveRetryDelay = TimeSpan.FromSeconds(10);

    private readonly List<Channel> _channels = [];

    /// <summary>Raised on the engine loop with every update found.</summary>
    public event Action<TorrentUpdateAvailableAlert>? UpdateFound;

    public int Count => _channels.Count;

    /// <summary>The channel's current item and the info-hash it names.</summary>
    /// <exception cref="TorrentException"><see cref="ErrorCode.MutableTorrentNotFound"/> when no node has it in time or it names no info-hash; <see cref="ErrorCode.DhtDisabled"/> without a DHT.</exception>
    public async Task<(InfoHash InfoHash, long Sequence)> ResolveAsync(MagnetLink magnet)
    {
        // A lookup that ends with no item is asked again until the bound: a DHT still
        // bootstrapping (a game adds its channel right after starting) sees too few nodes to find it.
        var deadline = time.GetUtcNow() + ResolveTimeout;
        var (answered, item) = await GetBoundedAsync(magnet.PublicKey, magnet.Salt, ResolveTimeout).ConfigureAwait(true);
        while (answered && item is null && deadline - time.GetUtcNow() > ResolveRetryDelay)
        {
            await Task.Delay(ResolveRetryDelay, time).ConfigureAwait(true);
            (answered, item) = await GetBoundedAsync(magnet.PublicKey, magnet.Salt, deadline - time.GetUtcNow()).ConfigureAwait(true);
        }

        if (!answered)
        {
            throw new TorrentException(ErrorCode.MutableTorrentNotFound, $"The DHT gave no item for {Convert.ToHexString(magnet.PublicKey.Span)} within {ResolveTimeout.TotalSeconds} s.");
        }

        if (item is null)
        {
            throw new TorrentException(ErrorCode.MutableTorrentNotFound, "No DHT node has the publisher's item: the channel is empty or expired.");
        }

        if (!MutableTorrentValue.TryRead(item.Value, out var infoHash))
        {
            throw new TorrentException(ErrorCode.MutableTorrentNotFound, "The publisher's item names no info-hash ({ih}, BEP 46).");
        }

        return (infoHash, item.Sequence);
    }

    /// <summary>Follows the channel of <paramref name="magnet"/> for <paramref name="handle"/>, whose version is <paramref name="sequence"/>.</summary>
    public void Follow(TorrentHandle handle, MagnetLink magnet, InfoHash infoHash, long sequence) =>
        _channels.Add(new Channel(handle, magnet.PublicKey, magnet.Salt) { InfoHash = infoHash, Sequence = sequence, Due = time.GetUtcNow() + interval() });

    /// <summary>Forgets the channels of torrents no longer in the session.</summary>
    public void Prune(Func<TorrentHandle, bool> present) => _channels.RemoveAll(c => !present(c.Handle));

    /// <summary>Reads the channels that are due (the session's one-second tick).</summary>
    public void Tick(DateTimeOffset now)
    {
        foreach (var channel in _channels)
        {
            if (channel.Due <= now && !channel.Reading)
            {
                channel.Due = now + interval();
                channel.Reading = true;
                _ = ReadAsync(channel);
            }
        }
    }

    private async Task ReadAsync(Channel channel)
    {
        try
        {
            // Bounded like the first resolve: a read that never ends would stop the channel's reads for good.
            var (_, item) = await GetBoundedAsync(channel.PublicKey, channel.Salt, ResolveTimeout).ConfigureAwait(true);
            // BEP 46: only a higher sequence number is news; a lower or equal one is old or a replay.
            if (item is null || item.Sequence <= channel.Sequence || !MutableTorrentValue.TryRead(item.Value, out var next))
            {
                return;
            }

            var old = channel.InfoHash;
            channel.Sequence = item.Sequence;
            if (next.Truncated.SequenceEqual(old.Truncated))
            {
                return;
            }

            channel.InfoHash = next;
            var hashes = new InfoHashes(next, null);
            var alert = new TorrentUpdateAvailableAlert(channel.Handle, Hex(old), next.ToHex(), item.Sequence, MagnetLink.Create(hashes, channel.Handle.Name).ToUri());
            alerts.Post(alert);
            UpdateFound?.Invoke(alert);
        }
        catch (TorrentException e)
        {
            logger.LogDebug(e, "Reading an update channel failed");
        }
        finally
        {
            channel.Reading = false;
        }
    }

    // The get, or (false, null) after ResolveTimeout (a real lookup ends within 60 s; a stuck one is left behind).
    private async Task<(bool Answered, DhtMutableItem? Item)> GetBoundedAsync(ReadOnlyMemory<byte> publicKey, ReadOnlyMemory<byte> salt, TimeSpan limit)
    {
        var get = items.GetMutableAsync(publicKey, salt);
        using var bound = new CancellationTokenSource();
        var finished = await Task.WhenAny(get, Task.Delay(limit, time, bound.Token)).ConfigureAwait(true);
        bound.Cancel();
        return finished == get ? (true, await get.ConfigureAwait(true)) : (false, null);
    }

    private static string Hex(InfoHash hash) => Convert.ToHexString(hash.Truncated).ToLowerInvariant();

    private sealed record Channel(TorrentHandle Handle, ReadOnlyMemory<byte> PublicKey, ReadOnlyMemory<byte> Salt)
    {
        public required InfoHash InfoHash { get; set; }

        public long Sequence { get; set; }

        public DateTimeOffset Due { get; set; }

        public bool Reading { get; set; }
    }
}
