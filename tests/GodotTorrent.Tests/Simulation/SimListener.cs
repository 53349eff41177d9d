using System.Net;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Simulation;

/// <summary>A bound address on the simulated network with its backlog of accepted connections.</summary>
internal sealed class SimListener : ITransportListener
{
    private readonly SimNetwork _network;
    private readonly Queue<SimStream> _backlog = new();
    private SimOperation<IPeerConnectionStream>? _waiting;
    private bool _closed;

    public SimListener(SimNetwork network, IPAddress address, int port)
    {
        _network = network;
        LocalEndPoint = network.Bind(this, address, port);
    }

    public IPEndPoint LocalEndPoint { get; }

    public ValueTask<IPeerConnectionStream> AcceptAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        cancellationToken.ThrowIfCancellationRequested();
        if (_backlog.TryDequeue(out var stream))
        {
            return new ValueTask<IPeerConnectionStream>(stream);
        }

        var waiting = new SimOperation<IPeerConnectionStream>();
        _waiting = waiting;
        waiting.CancelWith(cancellationToken);
        return waiting.Task;
    }

    public ValueTask DisposeAsync()
    {
        if (!_closed)
        {
            _closed = true;
            _network.Unbind(LocalEndPoint);
            _waiting?.TrySetException(new ObjectDisposedException(nameof(SimListener)));
            while (_backlog.TryDequeue(out var stream))
            {
                stream.Abort();
            }
        }

        return ValueTask.CompletedTask;
    }

    internal void Enqueue(SimStream stream)
    {
        if (_closed)
        {
            stream.Abort();
            return;
        }

        var waiting = _waiting;
        _waiting = null;
        if (waiting is null || !waiting.TrySetResult(stream))
        {
            _backlog.Enqueue(stream);
        }
    }
}
