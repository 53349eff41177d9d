using System.Net;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// One simulated machine: its address, its side of the transport contract, and the uplink and
/// downlink that all its connections share (as a home line or a server's NIC would).
/// </summary>
internal sealed class SimHost(SimNetwork network, IPAddress address) : ITransport
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

    public ITransportListener Listen(IPEndPoint local)
    {
        var address = local.Address.Equals(IPAddress.Any) || local.Address.Equals(IPAddress.IPv6Any) ? Address : local.Address;
        if (!address.Equals(Address))
        {
            throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AddressNotAvailable);
        }

        return new SimListener(Network, address, local.Port);
    }

    internal int NextEphemeralPort() => _nextPort++;
}
