using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Net.Utp;

/// <summary>
/// uTP (BEP 29) as an <see cref="ITransport"/>: each listen address gets a UDP socket (through
/// <see cref="IDatagramNetwork"/>) with a <see cref="UtpSocketManager"/> on it. Outgoing
/// connections leave from a listening socket of the same family, so the peer sees our listen
/// port; with none, from a socket bound for the purpose.
/// </summary>
internal sealed class UtpTransport(
    IDatagramNetwork network,
    TimeProvider time,
    Func<Random> createRandom,
    Func<UtpPolicy> policy,
    ILoggerFactory loggers,
    Func<IPEndPoint, int>? packetSizeFor = null) : ITransport, IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly List<UtpSocketManager> _listening = [];
    private readonly List<UtpSocketManager> _outgoingOnly = [];
    private readonly Func<IPEndPoint, int> _packetSizeFor = packetSizeFor ?? UtpPacketSizes.For;

    public Session.PeerTransport Kind => Session.PeerTransport.Utp;

    /// <summary>Every socket's manager, for statistics and tests.</summary>
    public IReadOnlyList<UtpSocketManager> Sockets
    {
        get
        {
            lock (_gate)
            {
                return [.. _listening, .. _outgoingOnly];
            }
        }
    }

    /// <summary>The listening UDP sockets, which the DHT shares (one per listen address).</summary>
    public IReadOnlyList<IDatagramSocket> ListeningSockets
    {
        get
        {
            lock (_gate)
            {
                return [.. _listening.Select(m => m.Socket)];
            }
        }
    }

    public ITransportListener Listen(IPEndPoint local)
    {
        var manager = Bind(local);
        lock (_gate)
        {
            _listening.Add(manager);
        }

        return new UtpListener(manager);
    }

    public ValueTask<IPeerConnectionStream> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken)
    {
        UtpSocketManager? manager;
        lock (_gate)
        {
            manager = Pick(_listening, remote) ?? Pick(_outgoingOnly, remote);
            if (manager is null)
            {
                var any = remote.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
                manager = Bind(new IPEndPoint(any, 0));
                _outgoingOnly.Add(manager);
            }
        }

        return manager.ConnectAsync(remote, cancellationToken);
    }

    /// <summary>Closes the listening sockets and their connections (the listen port changes); outgoing-only sockets stay.</summary>
    public async ValueTask CloseListeningAsync()
    {
        UtpSocketManager[] sockets;
        lock (_gate)
        {
            sockets = [.. _listening];
            _listening.Clear();
        }

        foreach (var manager in sockets)
        {
            await manager.DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        UtpSocketManager[] sockets;
        lock (_gate)
        {
            sockets = [.. _listening, .. _outgoingOnly];
            _listening.Clear();
            _outgoingOnly.Clear();
        }

        foreach (var manager in sockets)
        {
            await manager.DisposeAsync().ConfigureAwait(false);
        }
    }

    private UtpSocketManager Bind(IPEndPoint local)
    {
        var socket = network.Bind(local);
        try
        {
            var manager = new UtpSocketManager(socket, time, network.CompletesInline, policy, _packetSizeFor, createRandom(), loggers.CreateLogger<UtpSocketManager>());
            socket.Register(manager);
            socket.Start();
            return manager;
        }
        catch
        {
            _ = socket.DisposeAsync().AsTask();
            throw;
        }
    }

    /// <summary>
    /// A socket that can reach <paramref name="remote"/>: same family; bound to any address, or
    /// to loopback exactly when the remote is loopback.
    /// </summary>
    private static UtpSocketManager? Pick(List<UtpSocketManager> sockets, IPEndPoint remote)
    {
        UtpSocketManager? fallback = null;
        foreach (var manager in sockets)
        {
            var local = manager.LocalEndPoint.Address;
            if (local.AddressFamily != remote.AddressFamily)
            {
                continue;
            }

            if (local.Equals(IPAddress.Any) || local.Equals(IPAddress.IPv6Any) || IPAddress.IsLoopback(local) == IPAddress.IsLoopback(remote.Address))
            {
                return manager;
            }

            fallback ??= manager;
        }

        return fallback;
    }
}
