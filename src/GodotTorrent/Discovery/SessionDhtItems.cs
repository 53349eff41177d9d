using GodotTorrent.Alerts;
using GodotTorrent.Dht.Items;
using GodotTorrent.Engine;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Discovery;

/// <summary>
/// The session's BEP 44 and BEP 46 parts, made when first used: item get and put
/// (<see cref="DhtItems"/>), the channels we publish (<see cref="DhtPublisher"/>) and those we
/// follow (<see cref="DhtFollower"/>); plus the checks and copies of the public API's arguments.
/// </summary>
internal sealed class SessionDhtItems(SessionDht dht, EngineLoop loop, AlertManager alerts, TimeProvider time, ILogger logger, Action<TorrentUpdateAvailableAlert> updateFound)
{
    private DhtItems? _items;
    private DhtPublisher? _publisher;
    private DhtFollower? _follower;

    public DhtItems Items => _items ??= new DhtItems(dht, loop, alerts);

    public DhtPublisher Publisher => _publisher ??= new DhtPublisher(Items, logger);

    public DhtFollower Follower
    {
        get
        {
            if (_follower is null)
            {
                _follower = new DhtFollower(Items, alerts, time, () => dht.FollowInterval, logger);
                _follower.UpdateFound += updateFound;
            }

            return _follower;
        }
    }

    /// <summary>The session's tick: re-puts and channel reads that are due; channels of removed torrents are dropped.</summary>
    public void Tick(DateTimeOffset now, Func<TorrentHandle, bool> stillAdded)
    {
        _publisher?.Tick(now);
        if (_follower is { Count: > 0 } follower)
        {
            follower.Prune(stillAdded);
            follower.Tick(now);
        }
    }

    /// <summary>A bencoded value of at most 1,000 bytes, copied.</summary>
    public static byte[] CopyValue(byte[] bencodedValue)
    {
        ArgumentNullException.ThrowIfNull(bencodedValue);
        DhtItems.CheckValue(bencodedValue);
        return (byte[])bencodedValue.Clone();
    }

    /// <summary>A salt of at most 64 bytes, copied (empty for none).</summary>
    public static byte[] CopySalt(byte[]? salt)
    {
        DhtItems.CheckSalt(salt);
        return salt?.ToArray() ?? [];
    }

    /// <summary>A 32-byte Ed25519 public key, copied.</summary>
    public static byte[] CopyPublicKey(byte[] publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        return publicKey.Length == Ed25519.PublicKeyLength
            ? (byte[])publicKey.Clone()
            : throw new TorrentException(ErrorCode.InvalidArgument, "A public key is 32 bytes.");
    }

    /// <summary>
    /// BEP 46's <c>ih</c> is a 20-byte info-hash, and a follower adds it as a v1 one. A v2 hash cut
    /// to 20 bytes would be taken for a v1 hash: the metadata would fail its SHA-1 check and every
    /// peer that sent it would be dropped as a liar. So only v1 hashes (a hybrid torrent has one) go
    /// on a channel.
    /// </summary>
    public static void CheckChannelInfoHash(InfoHash infoHash)
    {
        ArgumentNullException.ThrowIfNull(infoHash);
        if (infoHash.Version != 1)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, "An update channel (BEP 46) names a torrent by its 20-byte v1 info-hash; a v2-only torrent has none: publish a hybrid torrent's v1 hash.");
        }
    }

    /// <summary>A DHT target as 40 hex digits.</summary>
    public static Id20 ParseTarget(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Length != 2 * Id20.Length || !target.All(char.IsAsciiHexDigit))
        {
            throw new TorrentException(ErrorCode.InvalidArgument, "A DHT target is 40 hex digits.");
        }

        return new Id20(Convert.FromHexString(target));
    }
}
