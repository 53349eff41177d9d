using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using GodotTorrent.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace GodotTorrent.Tests.Net;

/// <summary>Real sockets: proves listening and accepting on TCP.</summary>
public sealed class ListenerSetTests
{
    [Fact]
    public async Task Accepted_connections_reach_the_callback_and_closing_stops_listening()
    {
        var accepted = Channel.CreateUnbounded<IPeerConnectionStream>();
        var outcomes = new List<ListenOutcome>();
        await using var listeners = new ListenerSet(NullLogger.Instance);
        listeners.Open([TcpTransport.Instance], [new ListenTarget(IPAddress.Loopback, null)], port: 0, attempts: 1, s => accepted.Writer.TryWrite(s), outcomes.Add);

        var bound = Assert.Single(listeners.EndPoints);
        Assert.Equal(bound, Assert.Single(outcomes).Bound);
        await using (var dialled = await TcpTransport.Instance.ConnectAsync(bound, CancellationToken.None))
        {
            await using var incoming = await accepted.Reader.ReadAsync();
            Assert.Equal(dialled.LocalEndPoint, incoming.RemoteEndPoint);
        }

        await listeners.CloseAsync();

        Assert.Empty(listeners.EndPoints);
        await Assert.ThrowsAnyAsync<SocketException>(async () => await TcpTransport.Instance.ConnectAsync(bound, CancellationToken.None));
    }

    [Fact]
    public async Task A_taken_port_with_no_range_left_is_reported_as_a_failure()
    {
        await using var blocker = TcpTransport.Instance.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        int taken = blocker.LocalEndPoint.Port;
        var outcomes = new List<ListenOutcome>();
        await using var single = new ListenerSet(NullLogger.Instance);
        single.Open([TcpTransport.Instance], [new ListenTarget(IPAddress.Loopback, null)], taken, attempts: 1, _ => { }, outcomes.Add);

        var failed = Assert.Single(outcomes);
        Assert.Null(failed.Bound);
        Assert.Equal(taken, failed.Port);
        Assert.NotNull(failed.Failure);
        Assert.Empty(single.EndPoints);
    }

    [Fact]
    public async Task A_target_with_its_own_port_takes_it_and_the_others_share_the_session_port()
    {
        await using var blocker = TcpTransport.Instance.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        int taken = blocker.LocalEndPoint.Port;
        var outcomes = new List<ListenOutcome>();
        await using var listeners = new ListenerSet(NullLogger.Instance);
        var loopback2 = IPAddress.Parse("127.0.0.2");
        listeners.Open([TcpTransport.Instance],
            [new ListenTarget(IPAddress.Loopback, taken, "lo"), new ListenTarget(loopback2, null), new ListenTarget(IPAddress.Parse("127.0.0.3"), null)],
            port: 0, attempts: 1, _ => { }, outcomes.Add);

        // The own port is taken: a failure naming the interface, not a silent move to the session's port.
        var failed = outcomes[0];
        Assert.Equal((IPAddress.Loopback, taken, "lo"), (failed.Address, failed.Port, failed.InterfaceName));
        Assert.Null(failed.Bound);
        Assert.Equal(2, listeners.EndPoints.Count);
        Assert.Equal(loopback2, listeners.EndPoints[0].Address);
        Assert.Equal(listeners.EndPoints[0].Port, listeners.EndPoints[1].Port);
        Assert.NotEqual(taken, listeners.EndPoints[0].Port);
    }

    [Fact]
    public async Task A_range_from_an_entry_port_near_the_top_stops_at_65535()
    {
        var outcomes = new List<ListenOutcome>();
        await using var listeners = new ListenerSet(NullLogger.Instance);
        // Held by us, or by someone else when this fails: either way 65535 is taken.
        await using var blocker = TryListen(65535);

        listeners.Open([TcpTransport.Instance], [new ListenTarget(IPAddress.Loopback, 65535)], port: 6881, attempts: 9, _ => { }, outcomes.Add);

        var outcome = Assert.Single(outcomes);
        Assert.Equal(65535, outcome.Port);
        Assert.Null(outcome.Bound);
        Assert.NotNull(outcome.Failure);
    }

    private static ITransportListener? TryListen(int port)
    {
        try
        {
            return TcpTransport.Instance.Listen(new IPEndPoint(IPAddress.Loopback, port));
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
