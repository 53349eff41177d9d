using System.Net;
using GodotTorrent.Discovery;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// A made-up LSD multicast group for simulated sessions (the simulation has no multicast): nodes
/// send to a tap at <see cref="GroupEndPoint"/>, which copies every datagram to each member's LSD
/// socket (the sender's too, as multicast loopback does), from the sender's address.
/// </summary>
internal sealed class SimLsdGroup
{
    public static readonly IPEndPoint GroupEndPoint = new(IPAddress.Parse("10.255.0.1"), 6771);

    private readonly SimSwarm _swarm;
    private readonly List<IPEndPoint> _members = [];
    private int _nodes;

    public SimLsdGroup(SimSwarm swarm)
    {
        _swarm = swarm;
        Tap = new SimDatagramTap(swarm.Network, GroupEndPoint);
        Tap.Arrived += d =>
        {
            foreach (var member in _members)
            {
                swarm.Network.Inject(d.From, member, d.Data);
            }
        };
    }

    public SimDatagramTap Tap { get; }

    public IPEndPoint Member(SimNode node) => new(node.Host.Address, GroupEndPoint.Port);

    public SimNode AddNode(SessionSettings? settings = null, Func<TorrentSessionOptions, TorrentSessionOptions>? configure = null)
    {
        // Hosts are numbered as they are added: the next one is 10.0.0.(n + 1).
        var address = new IPAddress([10, 0, 0, (byte)(++_nodes)]);
        var bind = new IPEndPoint(address, GroupEndPoint.Port);
        _members.Add(bind);
        var node = _swarm.AddNode(settings, o => (configure?.Invoke(o) ?? o) with { LsdGroups = [new LsdGroup(GroupEndPoint, bind)] });
        // Linked into the bench too (Sim*.cs), which has no xunit: a plain check.
        if (!address.Equals(node.Host.Address))
        {
            throw new InvalidOperationException($"the group expected host {address}, the swarm made {node.Host.Address}");
        }

        return node;
    }
}
