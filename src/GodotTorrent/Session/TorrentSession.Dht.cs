using GodotTorrent.Dht.Items;
using GodotTorrent.Discovery;
using GodotTorrent.Metainfo;
using GodotTorrent.Wire;

namespace GodotTorrent.Session;

// BEP 44 items and BEP 46 update channels; the logic lives in Discovery/DhtItems, DhtPublisher and DhtFollower.
public sealed partial class TorrentSession
{
    private SessionDhtItems? _dhtItemParts;

    /// <summary>
    /// BEP 46: a torrent added from an update channel (a <c>xs=urn:btpk:</c> magnet) has a new
    /// version. Raised on the engine loop (keep handlers short); the same data is posted as a
    /// <see cref="Alerts.TorrentUpdateAvailableAlert"/>. The new version is not added for you.
    /// </summary>
    public event EventHandler<TorrentUpdateAvailableEventArgs>? TorrentUpdateAvailable;

    private SessionDhtItems DhtParts => _dhtItemParts ??= new SessionDhtItems(Dht, Loop, Alerts, Time, _logger,
        alert => TorrentUpdateAvailable?.Invoke(this, new TorrentUpdateAvailableEventArgs(alert)));

    private DhtItems Items => DhtParts.Items;

    /// <summary>Puts an immutable item (BEP 44): <paramref name="bencodedValue"/>, at most 1,000 bytes, stored under its SHA-1.</summary>
    /// <exception cref="TorrentException"><see cref="ErrorCode.DhtDisabled"/> without a DHT; <see cref="ErrorCode.InvalidArgument"/> for a value that is not bencoding or too large.</exception>
    public Task<DhtPutReceipt> DhtPutImmutableAsync(byte[] bencodedValue, CancellationToken cancellationToken = default)
    {
        byte[] value = SessionDhtItems.CopyValue(bencodedValue);
        return OnLoop(() => Items.PutImmutableAsync(value), cancellationToken);
    }

    /// <summary>Gets an immutable item (BEP 44) by its target (40 hex digits): its bencoded value, or null when no node has it.</summary>
    /// <exception cref="TorrentException"><see cref="ErrorCode.DhtDisabled"/> without a DHT; <see cref="ErrorCode.InvalidArgument"/> for a malformed target.</exception>
    public Task<byte[]?> DhtGetImmutableAsync(string target, CancellationToken cancellationToken = default)
    {
        var id = SessionDhtItems.ParseTarget(target);
        return OnLoop(() => Items.GetImmutableAsync(id), cancellationToken);
    }

    /// <summary>
    /// Signs and puts a mutable item (BEP 44) under <paramref name="key"/> and <paramref name="salt"/>.
    /// Without <paramref name="sequence"/> the current item is read first and the next number put.
    /// </summary>
    /// <exception cref="TorrentException"><see cref="ErrorCode.DhtDisabled"/> without a DHT; <see cref="ErrorCode.InvalidArgument"/> for a bad value or salt.</exception>
    public Task<DhtPutReceipt> DhtPutMutableAsync(DhtSigningKey key, byte[] bencodedValue, byte[]? salt = null, long? sequence = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] value = SessionDhtItems.CopyValue(bencodedValue);
        byte[] saltCopy = SessionDhtItems.CopySalt(salt);
        return OnLoop(() => Items.PutMutableAsync(key.Pair, value, saltCopy, sequence), cancellationToken);
    }

    /// <summary>Gets the mutable item (BEP 44) of a 32-byte public key and salt, its signature checked: the value with the highest sequence number, or null.</summary>
    /// <exception cref="TorrentException"><see cref="ErrorCode.DhtDisabled"/> without a DHT; <see cref="ErrorCode.InvalidArgument"/> for a bad key or salt.</exception>
    public Task<DhtMutableValue?> DhtGetMutableAsync(byte[] publicKey, byte[]? salt = null, CancellationToken cancellationToken = default)
    {
        byte[] key = SessionDhtItems.CopyPublicKey(publicKey);
        byte[] saltCopy = SessionDhtItems.CopySalt(salt);
        return OnLoop(async () => await Items.GetMutableAsync(key, saltCopy).ConfigureAwait(true) is { } item
            ? new DhtMutableValue(item.Value.ToArray(), item.Sequence)
            : null, cancellationToken);
    }

    /// <summary>
    /// BEP 46: publishes <paramref name="infoHash"/> on the update channel of <paramref name="key"/>
    /// and <paramref name="salt"/> with the next sequence number, and re-puts it every 30 minutes
    /// while the session runs (items expire after 2 hours) until <see cref="StopPublishingAsync"/>.
    /// </summary>
    /// <param name="infoHash">The torrent's v1 info-hash: BEP 46 names torrents by 20-byte hashes, which followers add as v1 hashes, so a v2-only torrent cannot be published (make it hybrid).</param>
    /// <param name="key">The channel's signing key.</param>
    /// <param name="salt">The channel's salt (one key can carry several channels), at most 64 bytes.</param>
    /// <param name="cancellationToken">Stops waiting (the put goes on).</param>
    /// <exception cref="TorrentException"><see cref="ErrorCode.DhtDisabled"/> without a DHT; <see cref="ErrorCode.InvalidArgument"/> for a v2 info-hash.</exception>
    public Task<DhtPutReceipt> PublishAsync(InfoHash infoHash, DhtSigningKey key, byte[]? salt = null, CancellationToken cancellationToken = default)
    {
        SessionDhtItems.CheckChannelInfoHash(infoHash);
        ArgumentNullException.ThrowIfNull(key);
        byte[] saltCopy = SessionDhtItems.CopySalt(salt);
        return OnLoop(() => DhtParts.Publisher.PublishAsync(infoHash, key.Pair, saltCopy, Time.GetUtcNow()), cancellationToken);
    }

    /// <summary>Stops re-putting a channel; true when it was being published.</summary>
    public Task<bool> StopPublishingAsync(DhtSigningKey key, byte[]? salt = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] saltCopy = salt?.ToArray() ?? [];
        return Loop.InvokeAsync(() => DhtParts.Publisher.Stop(key.Pair.PublicKey, saltCopy)).WaitAsync(cancellationToken);
    }

    // BEP 46: a magnet with only xs=urn:btpk: resolves to the channel's info-hash, is added as an xt magnet, and is followed.
    private Task<TorrentHandle> AddFromChannelAsync(AddTorrentParams parameters, MagnetLink channel, CancellationToken cancellationToken) =>
        OnLoop(async () =>
        {
            var (infoHash, sequence) = await DhtParts.Follower.ResolveAsync(channel).ConfigureAwait(true);
            var magnet = MagnetLink.Create(new InfoHashes(infoHash, null), channel.DisplayName, channel.Trackers, channel.WebSeeds, channel.Peers);
            var handle = await AddTorrentAsync(parameters with { Magnet = magnet }, CancellationToken.None).ConfigureAwait(true);
            DhtParts.Follower.Follow(handle, channel, infoHash, sequence);
            return handle;
        }, cancellationToken);

    // The session's tick: re-puts and channel reads that are due.
    private void DhtItemsTick(DateTimeOffset now) => _dhtItemParts?.Tick(now, handle => _torrents.Contains(handle.Runtime));

    private Task<T> OnLoop<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        ThrowIfNotRunning();
        return Loop.InvokeAsync(action).WaitAsync(cancellationToken);
    }
}
