using System.Net;

namespace GodotTorrent.Net;

/// <summary>
/// Incoming connections still in their handshake, bounded: when full, the oldest connection of the
/// address with the most pending is aborted, so strangers that connect and never finish cannot pile
/// up sockets, and a flood from a few addresses does not push out a lone peer's handshake.
/// Engine loop only.
/// </summary>
internal sealed class PendingConnections
{
    // Each address's pending connections, oldest first, with the order they arrived in across all addresses.
    private readonly Dictionary<IPAddress, LinkedList<(IPeerConnectionStream Stream, long Order)>> _byAddress = [];
    private readonly Dictionary<IPeerConnectionStream, LinkedListNode<(IPeerConnectionStream Stream, long Order)>> _nodes = [];
    private long _next;

    public int Count => _nodes.Count;

    /// <summary>Adds a connection that started its handshake; aborts pending ones while <paramref name="capacity"/> are pending. Returns how many it aborted.</summary>
    public int Add(IPeerConnectionStream stream, int capacity)
    {
        int dropped = 0;
        while (_nodes.Count >= capacity && Victim() is { } victim)
        {
            Remove(victim);
            victim.Abort();
            dropped++;
        }

        var address = stream.RemoteEndPoint.Address;
        if (!_byAddress.TryGetValue(address, out var list))
        {
            list = new LinkedList<(IPeerConnectionStream Stream, long Order)>();
            _byAddress.Add(address, list);
        }

        _nodes[stream] = list.AddLast((stream, _next++));
        return dropped;
    }

    /// <summary>The handshake finished or failed; false when the connection was already dropped.</summary>
    public bool Remove(IPeerConnectionStream stream)
    {
        if (!_nodes.Remove(stream, out var node))
        {
            return false;
        }

        var list = node.List!;
        list.Remove(node);
        if (list.Count == 0)
        {
            _byAddress.Remove(stream.RemoteEndPoint.Address);
        }

        return true;
    }

    // The oldest pending connection of the address with the most; among equals, the oldest of all.
    private IPeerConnectionStream? Victim()
    {
        (IPeerConnectionStream Stream, long Order)? victim = null;
        int most = 0;
        foreach (var list in _byAddress.Values)
        {
            var oldest = list.First!.Value;
            if (list.Count > most || (list.Count == most && oldest.Order < victim!.Value.Order))
            {
                most = list.Count;
                victim = oldest;
            }
        }

        return victim?.Stream;
    }
}
