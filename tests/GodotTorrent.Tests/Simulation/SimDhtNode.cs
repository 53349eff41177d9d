using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Dht;
using GodotTorrent.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>One DHT engine of a <see cref="SimDht"/> on its own host.</summary>
internal sealed class SimDhtNode(int index, SimHost host, IDatagramSocket socket, DhtEngine engine)
{
    public int Index { get; } = index;

    public SimHost Host { get; } = host;

    public IDatagramSocket Socket { get; } = socket;

    public DhtEngine Engine { get; } = engine;

    public IPEndPoint EndPoint => Socket.LocalEndPoint;

    public Id20 Id => Engine.NodeId;

    public bool Gone { get; set; }

    public List<Alert> Alerts { get; } = [];

    public RoutingTable Table => Engine.NodeOf(System.Net.Sockets.AddressFamily.InterNetwork)!.Table;
}
