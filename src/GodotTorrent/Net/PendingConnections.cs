namespace GodotTorrent.Net;

/// <summary>
/// Incoming connections still in their handshake, oldest first, bounded: when full the oldest is
/// aborted, so strangers that connect and never finish cannot pile up sockets. Engine loop only.
/// </summary>
internal sealed class PendingConnections
{
    private readonly LinkedList<IPeerConnectionStream> _order = new();
    private readonly Dictionary<IPeerConnectionStream, LinkedListNode<IPeerConnectionStream>> _nodes = [];

    public int Count => _nodes.Count;

    /// <summary>Adds a connection that started its handshake; aborts and returns the oldest ones while more than <paramref name="capacity"/> are pending.</summary>
    public int Add(IPeerConnectionStream stream, int capacity)
    {
        int dropped = 0;
        while (_nodes.Count >= capacity && _order.First is { } oldest)
        {
            Remove(oldest.Value);
            oldest.Value.Abort();
            dropped++;
        }

        _nodes[stream] = _order.AddLast(stream);
        return dropped;
    }

    /// <summary>The handshake finished or failed; false when the connection was already dropped.</summary>
    public bool Remove(IPeerConnectionStream stream)
    {
        if (!_nodes.Remove(stream, out var node))
        {
            return false;
        }

        _order.Remove(node);
        return true;
    }
}
