using System.Net;
using System.Runtime.InteropServices;
using GodotTorrent.Peers.Protocol;

namespace GodotTorrent.Peers;

/// <summary>
/// Reads a torrent's connections for <see cref="SlotEviction"/> and <see cref="PeerIdleRules"/>:
/// what each is worth now, how many come from one address, and which one to close for a newcomer.
/// Engine loop only; its buffers are reused.
/// </summary>
internal sealed class ConnectionSlots
{
    /// <summary>Payload within this window counts as moving data.</summary>
    public static readonly TimeSpan MovingWindow = TimeSpan.FromSeconds(5);

    private readonly List<SlotCandidate> _candidates = [];
    private readonly List<PeerConnection> _connections = [];

    /// <summary>Open connections from <paramref name="address"/>.</summary>
    public static int OpenFrom(IEnumerable<PeerConnection> peers, IPAddress address)
    {
        int count = 0;
        foreach (var peer in peers)
        {
            if (!peer.IsClosed && peer.EndPoint.Address.Equals(address))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The connection to close for a newcomer (only among those from <paramref name="from"/> when given), or null when all are more useful.</summary>
    public PeerConnection? LeastUseful(IEnumerable<PeerConnection> peers, IPAddress? from, bool weSeed, DateTimeOffset now)
    {
        _candidates.Clear();
        _connections.Clear();
        foreach (var peer in peers)
        {
            if (_candidates.Count == SlotEviction.MaxScanned)
            {
                break;
            }

            if (peer.IsClosed || (from is not null && !peer.EndPoint.Address.Equals(from)))
            {
                continue;
            }

            _candidates.Add(Describe(peer, weSeed, now));
            _connections.Add(peer);
        }

        int victim = SlotEviction.PickVictim(CollectionsMarshal.AsSpan(_candidates));
        var chosen = victim < 0 ? null : _connections[victim];
        _connections.Clear();
        return chosen;
    }

    /// <summary>Notes payload moved and interest since the last look; once a second.</summary>
    public static void NoteUse(PeerConnection peer, DateTimeOffset now)
    {
        long payload = peer.Download.Total + peer.Upload.Total;
        if (payload != peer.SeenPayload)
        {
            peer.SeenPayload = payload;
            peer.LastPayload = now;
            peer.LastUseful = now;
        }

        if (peer.AmInterested || peer.PeerInterested)
        {
            peer.LastUseful = now;
        }
    }

    public static SlotCandidate Describe(PeerConnection peer, bool weSeed, DateTimeOffset now) => new(
        peer.Id,
        peer.HeardFrom,
        peer.AmInterested || peer.PeerInterested,
        peer.LastPayload is { } moved && now - moved <= MovingWindow,
        weSeed && peer.HasAll,
        peer.LastUseful);
}
