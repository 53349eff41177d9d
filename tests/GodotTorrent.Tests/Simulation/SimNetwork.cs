using System.Net;
using GodotTorrent.Engine;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// An in-memory network on a <see cref="SteppedScheduler"/>: one address per host, links with
/// latency, bandwidth and loss, and partitions that can heal. Everything happens as work items of
/// the scheduler, completing the engine's awaits synchronously, so a run depends only on the seed.
/// Streams (TCP) and datagrams (UDP, <see cref="SimUdpSocket"/>) share each host's uplink and
/// downlink, so one kind's queue delays the other.
/// </summary>
internal sealed class SimNetwork
{
    // Past this many datagram flows, the idle ones are forgotten so the table stays bounded.
    private const int MaxFlows = 4096;

    private readonly Dictionary<IPAddress, SimHost> _hosts = [];
    private readonly Dictionary<(IPAddress From, IPAddress To), LinkProfile> _links = [];
    private readonly Dictionary<IPEndPoint, SimListener> _listeners = [];
    private readonly HashSet<SimStream> _streams = [];
    private readonly Dictionary<IPEndPoint, SimUdpSocket> _datagramSockets = [];
    private readonly Dictionary<(IPEndPoint From, IPEndPoint To), DateTimeOffset> _flowBusyUntil = [];
    private readonly long[] _datagramsLost = new long[Enum.GetValues<SimDatagramDrop>().Length];
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

    /// <summary>Datagrams sent by sockets or injected.</summary>
    public long DatagramsSent { get; private set; }

    /// <summary>Datagrams that reached a started socket (a duplicate counts again), claimed or not.</summary>
    public long DatagramsDelivered { get; private set; }

    /// <summary>Delivered datagrams that no handler of their socket claimed.</summary>
    public long DatagramsUnclaimed { get; private set; }

    /// <summary>Datagrams the links' <see cref="LinkProfile.Duplicate"/> sent twice.</summary>
    public long DatagramsDuplicated { get; private set; }

    /// <summary>Datagrams dropped for any reason.</summary>
    public long DatagramsLost => _datagramsLost.Sum();

    /// <summary>Datagrams sent (and duplicated) that are neither delivered nor lost yet.</summary>
    public long DatagramsInFlight => DatagramsSent + DatagramsDuplicated - DatagramsDelivered - DatagramsLost;

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

    /// <summary>Datagrams dropped for <paramref name="reason"/>.</summary>
    public long DatagramsLostTo(SimDatagramDrop reason) => _datagramsLost[(int)reason];

    /// <summary>
    /// Sends a copy of <paramref name="datagram"/> from any endpoint (a host's or a made-up one, no
    /// socket needed) to <paramref name="to"/> on the path a socket's send takes: the same link,
    /// lines, queue limits, loss and counters. A burst larger than the link's
    /// <see cref="LinkProfile.QueueLimit"/> allows is dropped as any sender's would be.
    /// </summary>
    public void Inject(IPEndPoint from, IPEndPoint to, ReadOnlySpan<byte> datagram) => SendDatagram(from, to, datagram.ToArray());

    internal IPEndPoint BindDatagrams(SimUdpSocket socket, IPEndPoint local)
    {
        int port = local.Port;
        if (port == 0)
        {
            port = 6881;
            while (_datagramSockets.ContainsKey(new IPEndPoint(local.Address, port)))
            {
                port++;
            }
        }

        var endPoint = new IPEndPoint(local.Address, port);
        if (!_datagramSockets.TryAdd(endPoint, socket))
        {
            throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.AddressAlreadyInUse);
        }

        return endPoint;
    }

    internal void UnbindDatagrams(IPEndPoint endPoint) => _datagramSockets.Remove(endPoint);

    /// <summary>
    /// Takes <paramref name="datagram"/> (the network's own copy) through the sender's line: the
    /// flow at the link's rate and the host's shared uplink, drop-tail beyond the queue limit,
    /// then loss, duplication, latency and jitter on the way to the receiver's downlink.
    /// </summary>
    internal void SendDatagram(IPEndPoint from, IPEndPoint to, byte[] datagram)
    {
        DatagramsSent++;
        var link = Link(from.Address, to.Address);
        if (Blocked(from.Address, to.Address))
        {
            Lose(SimDatagramDrop.Partition);
            return;
        }

        var now = Scheduler.Time.GetUtcNow();
        var host = _hosts.GetValueOrDefault(from.Address);
        long uplink = host?.UplinkBytesPerSecond ?? 0;
        var start = Later(Later(_flowBusyUntil.GetValueOrDefault((from, to)), uplink > 0 ? host!.UplinkBusyUntil : now), now);
        if (link.QueueLimit > TimeSpan.Zero && start - now > link.QueueLimit)
        {
            Lose(SimDatagramDrop.QueueFull);
            return;
        }

        if (uplink > 0)
        {
            // The shared uplink is busy at its own rate; a slower link holds up only this flow (as SimStream does).
            host!.UplinkBusyUntil = start + LinkProfile.TransmitTime(datagram.Length, uplink);
        }

        var leaves = start + LinkProfile.TransmitTime(datagram.Length, Slowest(link.BytesPerSecond, uplink));
        SetFlowBusyUntil((from, to), leaves, now);
        if (link.Loss > 0 && Random.NextDouble() < link.Loss)
        {
            // Lost past the sender's line, so it still took its turn there.
            Lose(SimDatagramDrop.Loss);
            return;
        }

        int copies = 1;
        if (link.Duplicate > 0 && Random.NextDouble() < link.Duplicate)
        {
            copies = 2;
            DatagramsDuplicated++;
        }

        for (int i = 0; i < copies; i++)
        {
            var jitter = link.Jitter > TimeSpan.Zero ? TimeSpan.FromTicks((long)(Random.NextDouble() * link.Jitter.Ticks)) : TimeSpan.Zero;
            Scheduler.PostAfter(leaves + link.Latency + jitter - now, () => ArriveDatagram(from, to, datagram, link));
        }
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static long Slowest(long a, long b) => a <= 0 ? b : b <= 0 ? a : Math.Min(a, b);

    private void ArriveDatagram(IPEndPoint from, IPEndPoint to, byte[] datagram, LinkProfile link)
    {
        if (Blocked(from.Address, to.Address))
        {
            Lose(SimDatagramDrop.Partition);
            return;
        }

        var host = _hosts.GetValueOrDefault(to.Address);
        if (host is null || host.DownlinkBytesPerSecond <= 0)
        {
            DeliverDatagram(from, to, datagram);
            return;
        }

        // One queue for everything the host receives, streams included.
        var now = Scheduler.Time.GetUtcNow();
        var start = Later(host.DownlinkBusyUntil, now);
        if (link.QueueLimit > TimeSpan.Zero && start - now > link.QueueLimit)
        {
            Lose(SimDatagramDrop.QueueFull);
            return;
        }

        host.DownlinkBusyUntil = start + LinkProfile.TransmitTime(datagram.Length, host.DownlinkBytesPerSecond);
        Scheduler.PostAfter(host.DownlinkBusyUntil - now, () => DeliverDatagram(from, to, datagram));
    }

    private void DeliverDatagram(IPEndPoint from, IPEndPoint to, byte[] datagram)
    {
        if (!_datagramSockets.TryGetValue(to, out var socket))
        {
            Lose(SimDatagramDrop.Unbound);
            return;
        }

        if (!socket.Started)
        {
            Lose(SimDatagramDrop.NotStarted);
            return;
        }

        DatagramsDelivered++;
        if (!socket.Deliver(datagram, from))
        {
            DatagramsUnclaimed++;
        }
    }

    private void Lose(SimDatagramDrop reason) => _datagramsLost[(int)reason]++;

    private void SetFlowBusyUntil((IPEndPoint From, IPEndPoint To) flow, DateTimeOffset until, DateTimeOffset now)
    {
        if (_flowBusyUntil.Count >= MaxFlows && !_flowBusyUntil.ContainsKey(flow))
        {
            // Flows whose line has drained carry no state worth keeping.
            foreach (var idle in _flowBusyUntil.Where(f => f.Value <= now).Select(f => f.Key).ToList())
            {
                _flowBusyUntil.Remove(idle);
            }
        }

        _flowBusyUntil[flow] = until;
    }
}
