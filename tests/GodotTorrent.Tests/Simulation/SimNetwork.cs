using System.Net;
using GodotTorrent.Engine;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// An in-memory network on a <see cref="SteppedScheduler"/>: one address per host, links with
/// latency, bandwidth and loss, and partitions that can heal. Everything happens as work items of
/// the scheduler, completing the engine's awaits synchronously, so a run depends only on the seed.
/// </summary>
internal sealed class SimNetwork
{
    private readonly Dictionary<IPAddress, SimHost> _hosts = [];
    private readonly Dictionary<(IPAddress From, IPAddress To), LinkProfile> _links = [];
    private readonly Dictionary<IPEndPoint, SimListener> _listeners = [];
    private readonly HashSet<SimStream> _streams = [];
    private HashSet<IPAddress>? _partition;

    public SimNetwork(SteppedScheduler scheduler, int seed)
    {
        Scheduler = scheduler;
        Random = new Random(seed);
    }

    public SteppedScheduler Scheduler { get; }

    /// <summary>The network's own randomness (loss); seeded, used only on the scheduler.</summary>
    public Random Random { get; }

    public LinkProfile DefaultLink { get; set; } = LinkProfile.Default;

    /// <summary>The uplink of hosts added from now on, bytes per second; 0: unlimited.</summary>
    public long DefaultUplink { get; set; }

    /// <summary>The downlink of hosts added from now on, bytes per second; 0: unlimited.</summary>
    public long DefaultDownlink { get; set; }

    /// <summary>Connections made so far (both ends counted once).</summary>
    public int ConnectionsMade { get; private set; }

    /// <summary>Connection attempts and their outcome, with virtual time (for failure messages).</summary>
    public List<string> Events { get; } = [];

    public SimHost AddHost()
    {
        int n = _hosts.Count + 1;
        var host = new SimHost(this, new IPAddress([10, 0, (byte)(n >> 8), (byte)(n & 0xFF)]));
        _hosts.Add(host.Address, host);
        return host;
    }

    /// <summary>Sets the profile of both directions between two hosts.</summary>
    public void SetLink(IPAddress a, IPAddress b, LinkProfile profile)
    {
        _links[(a, b)] = profile;
        _links[(b, a)] = profile;
    }

    /// <summary>The host at <paramref name="address"/>; every stream has one at each end.</summary>
    public SimHost Host(IPAddress address) => _hosts[address];

    public LinkProfile Link(IPAddress from, IPAddress to) => _links.GetValueOrDefault((from, to), DefaultLink);

    /// <summary>Cuts <paramref name="side"/> off from every other host: segments wait and connection attempts hang until <see cref="Heal"/>.</summary>
    public void Partition(IEnumerable<IPAddress> side) => _partition = [.. side];

    /// <summary>Ends the partition: held segments go out as TCP would retransmit them.</summary>
    public void Heal()
    {
        _partition = null;
        foreach (var stream in _streams.ToList())
        {
            stream.FlushHeld();
        }
    }

    public bool Blocked(IPAddress a, IPAddress b) => _partition is { } side && side.Contains(a) != side.Contains(b);

    internal IPEndPoint Bind(SimListener listener, IPAddress address, int port)
    {
        if (port == 0)
        {
            port = 6881;
            while (_listeners.ContainsKey(new IPEndPoint(address, port)))
            {
                port++;
            }
        }

        var endPoint = new IPEndPoint(address, port);
        if (!_listeners.TryAdd(endPoint, listener))
        {
            throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AddressAlreadyInUse);
        }

        return endPoint;
    }

    internal void Unbind(IPEndPoint endPoint) => _listeners.Remove(endPoint);

    internal void Connect(SimHost from, IPEndPoint remote, SimOperation<GodotTorrent.Net.IPeerConnectionStream> result)
    {
        var link = Link(from.Address, remote.Address);
        // The handshake of TCP takes one round trip.
        Scheduler.PostAfter(link.Latency + link.Latency, () =>
        {
            Events.Add($"{Scheduler.Time.GetUtcNow() - SimClock.Epoch} {from.Address} -> {remote} {(result.IsCompleted ? "gave up" : Blocked(from.Address, remote.Address) ? "blocked" : _listeners.ContainsKey(remote) ? "connected" : "refused")}");
            if (result.IsCompleted || Blocked(from.Address, remote.Address))
            {
                // Across a partition the attempt hangs until the caller's time-out cancels it.
                return;
            }

            if (link.ConnectFailure > 0 && Random.NextDouble() < link.ConnectFailure)
            {
                result.TrySetException(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.TimedOut));
                return;
            }

            if (!_listeners.TryGetValue(remote, out var listener))
            {
                result.TrySetException(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused));
                return;
            }

            var local = new IPEndPoint(from.Address, from.NextEphemeralPort());
            var client = new SimStream(this, local, remote);
            var server = new SimStream(this, remote, local);
            client.Remote = server;
            server.Remote = client;
            _streams.Add(client);
            _streams.Add(server);
            ConnectionsMade++;
            if (!result.TrySetResult(client))
            {
                client.Abort();
                return;
            }

            listener.Enqueue(server);
        });
    }

    internal void Forget(SimStream stream) => _streams.Remove(stream);
}
