using System.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// Peers announced to us (BEP 5), bounded three ways: peers per info-hash (a newcomer replaces a
/// random one when full), info-hashes (a new one evicts a random one), and time (an announce
/// lasts 30 minutes). Random eviction keeps a flood from pinning what it chooses.
/// </summary>
internal sealed class PeerStore(Random random, int maxInfoHashes = PeerStore.DefaultMaxInfoHashes, int maxPeers = PeerStore.DefaultMaxPeers)
{
    public const int DefaultMaxInfoHashes = 5000;
    public const int DefaultMaxPeers = 100;

    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(30);

    private readonly Dictionary<Id20, StoredPeers> _byHash = [];
    private readonly List<Id20> _keys = [];

    public int InfoHashes => _byHash.Count;

    public int PeerCount(Id20 infoHash) => _byHash.TryGetValue(infoHash, out var stored) ? stored.Peers.Count : 0;

    public void Announce(Id20 infoHash, IPEndPoint peer, bool seed, DateTimeOffset now)
    {
        if (!_byHash.TryGetValue(infoHash, out var stored))
        {
            if (_byHash.Count >= maxInfoHashes)
            {
                RemoveAt(random.Next(_keys.Count));
            }

            stored = new StoredPeers(_keys.Count);
            _keys.Add(infoHash);
            _byHash.Add(infoHash, stored);
        }

        var peers = stored.Peers;
        int existing = peers.FindIndex(p => p.EndPoint.Equals(peer));
        if (existing >= 0)
        {
            peers[existing] = (peer, now, seed);
        }
        else if (peers.Count >= maxPeers)
        {
            peers[random.Next(peers.Count)] = (peer, now, seed);
        }
        else
        {
            peers.Add((peer, now, seed));
        }
    }

    /// <summary>Up to <paramref name="max"/> live peers for <paramref name="infoHash"/>, a random choice when there are more.</summary>
    public List<IPEndPoint> Peers(Id20 infoHash, int max, DateTimeOffset now)
    {
        var result = new List<IPEndPoint>();
        if (!_byHash.TryGetValue(infoHash, out var stored))
        {
            return result;
        }

        var peers = stored.Peers;
        int start = peers.Count > max ? random.Next(peers.Count) : 0;
        for (int i = 0; i < peers.Count && result.Count < max; i++)
        {
            var (endPoint, at, _) = peers[(start + i) % peers.Count];
            if (now - at < Expiry)
            {
                result.Add(endPoint);
            }
        }

        return result;
    }

    /// <summary>BEP 51: up to <paramref name="max"/> random info-hashes we hold.</summary>
    public List<Id20> Sample(int max)
    {
        var result = new List<Id20>(Math.Min(max, _keys.Count));
        int start = _keys.Count > max ? random.Next(_keys.Count) : 0;
        for (int i = 0; i < _keys.Count && result.Count < max; i++)
        {
            result.Add(_keys[(start + i) % _keys.Count]);
        }

        return result;
    }

    /// <summary>Drops announces older than 30 minutes and info-hashes left with none.</summary>
    public void Expire(DateTimeOffset now)
    {
        for (int i = _keys.Count - 1; i >= 0; i--)
        {
            var stored = _byHash[_keys[i]];
            stored.Peers.RemoveAll(p => now - p.At >= Expiry);
            if (stored.Peers.Count == 0)
            {
                RemoveAt(i);
            }
        }
    }

    private void RemoveAt(int index)
    {
        var key = _keys[index];
        _byHash.Remove(key);
        int last = _keys.Count - 1;
        if (index != last)
        {
            _keys[index] = _keys[last];
            _byHash[_keys[index]].Index = index;
        }

        _keys.RemoveAt(last);
    }
}
