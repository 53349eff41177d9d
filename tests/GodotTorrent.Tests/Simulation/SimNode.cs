using System.Net;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Simulation;

/// <summary>One simulated machine running a session: its host on the network and its disk.</summary>
internal sealed class SimNode(int index, SimHost host, SimDisk disk, TorrentSession session)
{
    public int Index { get; } = index;

    public SimHost Host { get; } = host;

    public SimDisk Disk { get; } = disk;

    public TorrentSession Session { get; } = session;

    public IPEndPoint EndPoint => Session.ListenEndPoints[0];

    /// <summary>The torrent the node was given last.</summary>
    public TorrentHandle? Torrent { get; set; }

    public override string ToString() => $"node{Index}";
}
