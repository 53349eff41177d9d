using GodotTorrent.Net.Handshake;
using GodotTorrent.Wire;

namespace GodotTorrent.Net.Encryption;

/// <summary>
/// The responder's way back from HASH('req2', SKEY) to the torrent. Each torrent's req2 hash is
/// computed once and kept; the table is rebuilt only on a miss, and a rebuild hashes only the
/// wire hashes it did not have, so 500 torrents cost 500 SHA-1s in all, not 500 per handshake.
/// Lookups read an immutable snapshot, so handshakes on several threads need no lock.
/// </summary>
internal sealed class SkeyTable
{
    private Dictionary<Id20, Id20> _byReq2 = [];
    private int _hashesComputed;

    /// <summary>Torrents in the current snapshot.</summary>
    public int Count => Volatile.Read(ref _byReq2).Count;

    /// <summary>SHA-1s computed so far (each wire hash once, unless it left and came back).</summary>
    public int HashesComputed => Volatile.Read(ref _hashesComputed);

    /// <summary>The wire hash whose HASH('req2', ·) is <paramref name="req2"/>, among the torrents taking peers.</summary>
    public bool TryFind(Id20 req2, ITorrentDirectory torrents, out Id20 skey)
    {
        if (Volatile.Read(ref _byReq2).TryGetValue(req2, out skey))
        {
            return true;
        }

        // A miss may be a torrent added since the last rebuild (or a stranger's guess).
        return Rebuild(torrents).TryGetValue(req2, out skey);
    }

    private Dictionary<Id20, Id20> Rebuild(ITorrentDirectory torrents)
    {
        var old = Volatile.Read(ref _byReq2);
        var known = new Dictionary<Id20, Id20>(old.Count);
        foreach (var (req2, hash) in old)
        {
            known[hash] = req2;
        }

        var fresh = new Dictionary<Id20, Id20>();
        foreach (var hash in torrents.WireHashes())
        {
            if (!known.TryGetValue(hash, out var req2))
            {
                req2 = MseHashes.Req2(hash);
                Interlocked.Increment(ref _hashesComputed);
            }

            fresh[req2] = hash;
        }

        Volatile.Write(ref _byReq2, fresh);
        return fresh;
    }
}
