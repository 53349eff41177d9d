using System.Net;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// One simulated machine: its address, its side of the transport contract (streams and
/// datagrams), and the uplink and downlink that all its connections and UDP sockets share (as a
/// home line or a server's NIC would).
/// </summary>
internal sealed class SimHost(SimNetwork network, IPAddress address) : ITransport, IDatagramNetwork
{
    private int _nextPort = 40000;

    public IPAddress Address { get; } = address;

    public SimNetwork Network { get; } = network;

    /// <summary>Bytes per second all connections of the host can send together; 0: unlimited.</summary>
    public long UplinkBytesPerSecond { get; set; } = network.DefaultUplink;

    /// <summary>Bytes per second all connections of the host can receive together; 0: unlimited.</summary>
    public long DownlinkBytesPerSecond { get; set; } = network.DefaultDownlink;

    /// <summary>When the uplink has sent what is queued on it.</summary>
    internal DateTimeOffset UplinkBusyUntil { get; set; }

    /// <summary>When the downlink has delivered what is queued on it.</summary>
    internal DateTimeOffset DownlinkBusyUntil { get; set; }

    public ValueTask<IPeerConnectionStream> ConnectAsync(IPEndPoint remote, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // Completed inside the network's work item, so the caller resumes there.
        var result = new SimOperation<IPeerConnectionStream>();
        result.CancelWith(cancellationToken);
        Network.Connect(this, remote, result);
        return result.Task;
    }

    public ITransportListener Listen(IPEndPoint local) => new SimListener(Network, OwnAddress(local.Address), local.Port);

    /// <summary>Handlers run inside the scheduler's work items, which may complete the engine's awaits.</summary>
    public bool CompletesInline => true;

    public IDatagramSocket Bind(IPEndPoint local) => new SimUdpSocket(Network, new IPEndPoint(OwnAddress(local.Address), local.Port));

    internal int NextEphemeralPort() => _nextPort++;

    private IPAddress OwnAddress(IPAddress requested)
    {
        var address = requested.Equals(IPAddress.Any) || requested.Equals(IPAddress.IPv6Any) ? Address : requested;
        if (!address.Equals(Address))
        {
            throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AddressNotAvailable);
        }

        return address;
    }
}
