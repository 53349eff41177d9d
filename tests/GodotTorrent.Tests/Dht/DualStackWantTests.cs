using System.Net;
using System.Net.Sockets;
using GodotTorrent.Bencoding;
using GodotTorrent.Dht;
using GodotTorrent.Net;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Dht;

/// <summary>
/// BEP 32's <c>want</c>: a node with an IPv4 and an IPv6 socket asks for both families in its
/// lookups and hands the other family's nodes to that family's table; a node with one socket
/// asks for nothing; serving, <c>want</c> picks the families of the reply. One engine over
/// recording sockets, no network.
/// </summary>
public sealed class DualStackWantTests
{
    private static readonly IPEndPoint Router4 = new(IPAddress.Parse("5.6.7.8"), 6881);
    private static readonly IPEndPoint Router6 = new(IPAddress.Parse("2001:db8::2"), 6881);
    private static readonly Id20 Stranger = new(Enumerable.Repeat((byte)0x5A, 20).ToArray());

    [Fact]
    public void A_dual_stack_node_asks_for_both_families_and_a_single_stack_node_for_none()
    {
        var (dual, v4, v6) = Engine(dualStack: true);
        var (single, only4, _) = Engine(dualStack: false);
        using (dual)
        using (single)
        {
            var dualQueries = v4.Queries().Concat(v6!.Queries()).ToList();
            Assert.NotEmpty(v4.Queries());
            Assert.NotEmpty(v6.Queries());
            Assert.All(dualQueries, q => Assert.Equal((KrpcMethod.FindNode, true, true), (q.Method, q.WantNodes4, q.WantNodes6)));

            Assert.NotEmpty(only4.Queries());
            Assert.All(only4.Queries(), q => Assert.Equal((false, false), (q.WantNodes4, q.WantNodes6)));
        }
    }

    [Fact]
    public void Nodes6_in_a_reply_on_the_ipv4_socket_are_pinged_from_the_ipv6_socket()
    {
        var (engine, v4, v6) = Engine(dualStack: true);
        using (engine)
        {
            var query = v4.Sent.Select(s => (s.To, Message: KrpcParser.Parse(s.Data, out _)!)).First(s => s.To.Equals(Router4));
            var hinted = new DhtContact(new Id20(Enumerable.Repeat((byte)0x33, 20).ToArray()), new IPEndPoint(IPAddress.Parse("2001:db8::77"), 7000));
            var values = KrpcBuilder.WithId(Stranger);
            values.Set(KrpcBuilder.Nodes6Key, new BString(CompactEndPoints.Nodes([hinted], AddressFamily.InterNetworkV6)));
            int before = v6!.Sent.Count;

            engine.NodeOf(AddressFamily.InterNetwork)!.Receive(KrpcBuilder.Response(query.Message.TransactionId, values, v4.LocalEndPoint), Router4);

            var ping = Assert.Single(v6.Sent.Skip(before), s => s.To.Equals(hinted.EndPoint));
            Assert.Equal(KrpcMethod.Ping, KrpcParser.Parse(ping.Data, out _)!.Method);
            Assert.DoesNotContain(v4.Sent, s => s.To.Equals(hinted.EndPoint));
        }
    }

    [Theory]
    [InlineData("n4", true, false)]
    [InlineData("n6", false, true)]
    [InlineData("both", true, true)]
    [InlineData("", true, false)]
    public void Serving_want_picks_the_families_of_the_reply(string want, bool nodes, bool nodes6)
    {
        var (engine, v4, _) = Engine(dualStack: true);
        using (engine)
        {
            var now = DateTimeOffset.UnixEpoch;
            engine.NodeOf(AddressFamily.InterNetwork)!.Table.Heard(new Id20(Enumerable.Repeat((byte)0x11, 20).ToArray()), new IPEndPoint(IPAddress.Parse("9.9.9.9"), 6881), replied: true, now);
            engine.NodeOf(AddressFamily.InterNetworkV6)!.Table.Heard(new Id20(Enumerable.Repeat((byte)0x22, 20).ToArray()), new IPEndPoint(IPAddress.Parse("2001:db8::9"), 6881), replied: true, now);
            var arguments = KrpcBuilder.WithId(Stranger);
            arguments.Set(KrpcBuilder.TargetKey, new BString(Stranger.ToArray()));
            if (want.Length > 0)
            {
                arguments.Set(KrpcBuilder.WantKey, want == "both" ? KrpcBuilder.WantBoth : new BList([new BString(want)]));
            }

            var asker = new IPEndPoint(IPAddress.Parse("8.8.4.4"), 6881);
            int before = v4.Sent.Count;
            engine.NodeOf(AddressFamily.InterNetwork)!.Receive(KrpcBuilder.Query([0x42], KrpcMethod.FindNode, arguments, readOnly: false), asker);

            // The node may also ping the newcomer: the reply is the one response.
            var reply = Assert.Single(v4.Sent.Skip(before).Where(s => s.To.Equals(asker)).Select(s => KrpcParser.Parse(s.Data, out _)!), m => m.Kind == KrpcKind.Response);
            Assert.Equal((nodes, nodes6), (reply.Nodes is { Length: > 0 }, reply.Nodes6 is { Length: > 0 }));
        }
    }

    private static (EngineScope Engine, RecordingSocket V4, RecordingSocket? V6) Engine(bool dualStack)
    {
        var engine = new DhtEngine(new FakeTimeProvider(DateTimeOffset.UnixEpoch), new Random(7), NullLoggerFactory.Instance, _ => { }, new DhtOptions(UploadRateLimit: 0), null, completesInline: true);
        var v4 = new RecordingSocket(new IPEndPoint(IPAddress.Parse("1.2.3.4"), 6881));
        var v6 = dualStack ? new RecordingSocket(new IPEndPoint(IPAddress.Parse("2001:db8::1"), 6881)) : null;
        engine.Attach(v4);
        if (v6 is not null)
        {
            engine.Attach(v6);
        }

        engine.SetBootstrapNodes(dualStack ? [Router4, Router6] : [Router4]);
        return (new EngineScope(engine), v4, v6);
    }

    private sealed class EngineScope(DhtEngine engine) : IDisposable
    {
        public DhtNode? NodeOf(AddressFamily family) => engine.NodeOf(family);

        public void Dispose() => engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private sealed class RecordingSocket(IPEndPoint local) : IDatagramSocket
    {
        public IPEndPoint LocalEndPoint { get; } = local;

        public List<(byte[] Data, IPEndPoint To)> Sent { get; } = [];

        public IEnumerable<KrpcMessage> Queries() =>
            Sent.Select(s => KrpcParser.Parse(s.Data, out _)).OfType<KrpcMessage>().Where(m => m.Kind == KrpcKind.Query);

        public void Register(IDatagramHandler handler)
        {
        }

        public void Start()
        {
        }

        public bool Send(ReadOnlySpan<byte> datagram, IPEndPoint to)
        {
            Sent.Add((datagram.ToArray(), to));
            return true;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
