using System.Net;
using System.Text;
using GodotTorrent.Bencoding;
using GodotTorrent.Dht;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Dht;

/// <summary>KRPC (BEP 5) messages: what we build parses back, and malformed input is refused or answered with 203.</summary>
public sealed class KrpcCodecTests
{
    private static readonly Id20 Ours = new(Enumerable.Range(1, 20).Select(i => (byte)i).ToArray());
    private static readonly Id20 Target = new(Enumerable.Repeat((byte)0xAB, 20).ToArray());

    [Fact]
    public void A_get_peers_query_and_its_response_round_trip()
    {
        var arguments = KrpcBuilder.WithId(Ours);
        arguments.Set(KrpcBuilder.InfoHashKey, new BString(Target.ToArray()));
        var query = KrpcParser.Parse(KrpcBuilder.Query([1, 2], KrpcMethod.GetPeers, arguments, readOnly: true), out var error);
        Assert.Null(error);
        Assert.NotNull(query);
        Assert.Equal((KrpcKind.Query, KrpcMethod.GetPeers, Ours, Target, true), (query.Kind, query.Method, query.Id!.Value, query.Target!.Value, query.ReadOnly));
        Assert.Equal(new byte[] { 1, 2 }, query.TransactionId);

        var peer = new IPEndPoint(IPAddress.Parse("1.2.3.4"), 6881);
        var values = KrpcBuilder.WithId(Target);
        values.Set(KrpcBuilder.TokenKey, new BString(new byte[] { 9, 9, 9 }));
        values.Set(KrpcBuilder.ValuesKey, new BList([new BString(CompactEndPoints.Peer(peer)), new BString(new byte[] { 1, 2, 3 })]));
        var node = new DhtContact(Ours, new IPEndPoint(IPAddress.Parse("5.6.7.8"), 1000));
        values.Set(KrpcBuilder.NodesKey, new BString(CompactEndPoints.Nodes([node], System.Net.Sockets.AddressFamily.InterNetwork)));
        var requester = new IPEndPoint(IPAddress.Parse("9.8.7.6"), 4000);
        var response = KrpcParser.Parse(KrpcBuilder.Response([1, 2], values, requester), out _);
        Assert.NotNull(response);
        Assert.Equal(KrpcKind.Response, response.Kind);
        Assert.Equal(Target, response.Id);
        Assert.Equal(new byte[] { 9, 9, 9 }, response.Token);
        Assert.Equal([peer], response.Values!);
        Assert.Equal(requester, response.ExternalEndPoint);
        var nodes = new List<DhtContact>();
        Assert.True(CompactEndPoints.TryReadNodes(response.Nodes, System.Net.Sockets.AddressFamily.InterNetwork, nodes, 8));
        Assert.Equal([node], nodes);
    }

    [Fact]
    public void An_announce_an_error_and_BEP_32_want_parse()
    {
        var announce = Parse("d1:ad2:id20:" + Id('a') + "12:implied_porti1e9:info_hash20:" + Id('b') + "4:porti0e5:token2:tk4:seedi1ee1:q13:announce_peer1:t1:x1:y1:qe");
        Assert.Equal((KrpcMethod.AnnouncePeer, true, true), (announce!.Method, announce.ImpliedPort, announce.Seed));
        var error = Parse("d1:eli201e4:oopse1:t1:x1:y1:ee");
        Assert.Equal((KrpcKind.Error, 201, "oops"), (error!.Kind, error.ErrorCode, error.ErrorMessage));
        var find = Parse("d1:ad2:id20:" + Id('a') + "6:target20:" + Id('c') + "4:wantl2:n42:n6e5:extrai1ee1:q9:find_node1:t1:x1:y1:q7:unknown3:abce");
        Assert.Equal((true, true), (find!.WantNodes4, find.WantNodes6));
        var unknown = Parse("d1:ad2:id20:" + Id('a') + "e1:q6:vote!!1:t1:x1:y1:qe");
        Assert.Equal(KrpcMethod.Unknown, unknown!.Method);
    }

    [Theory]
    [InlineData("d1:t1:x1:y1:qe")] // a query without q or a
    [InlineData("d1:ad2:id3:abce1:q4:ping1:t1:x1:y1:qe")] // a short id
    [InlineData("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaae1:q9:find_node1:t1:x1:y1:qe")] // find_node without a target
    [InlineData("d1:ad2:id20:aaaaaaaaaaaaaaaaaaaa9:info_hash20:bbbbbbbbbbbbbbbbbbbb4:porti0e5:token2:tke1:q13:announce_peer1:t1:x1:y1:qe")] // port 0, not implied
    public void A_malformed_query_is_answered_with_a_protocol_error(string text)
    {
        Assert.Null(KrpcParser.Parse(Encoding.Latin1.GetBytes(text), out var tid));
        Assert.Equal("x"u8.ToArray(), tid);
    }

    [Theory]
    [InlineData("le")]
    [InlineData("d1:y1:re")] // no transaction id
    [InlineData("d1:t17:aaaaaaaaaaaaaaaaa1:y1:re")] // transaction id over 16 bytes
    [InlineData("d1:rd2:id20:aaaaaaaaaaaaaaaaaaaa5:nodes25:aaaaaaaaaaaaaaaaaaaaaaaaae1:t1:x1:y1:re")] // nodes not a multiple of 26
    [InlineData("d1:rd2:id20:aaaaaaaaaaaaaaaaaaaa6:nodes637:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaae1:t1:x1:y1:re")] // nodes6 not a multiple of 38
    [InlineData("d1:rd2:id20:aaaaaaaaaaaaaaaaaaaa5:token65:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaae1:t1:x1:y1:re")] // token over 64
    [InlineData("d1:rd2:id20:aaaaaaaaaaaaaaaaaaaae1:t1:x1:y1:ze")] // unknown y
    [InlineData("d1:rd2:id20:aaaaaaaaaaaaaaaaaaaae1:t1:x1:y1:r")] // truncated
    public void Malformed_input_is_dropped_without_an_answer(string text)
    {
        Assert.Null(KrpcParser.Parse(Encoding.Latin1.GetBytes(text), out var tid));
        Assert.Null(tid);
    }

    [Fact]
    public void Oversized_datagrams_are_dropped_and_long_value_lists_cut()
    {
        Assert.Null(KrpcParser.Parse(new byte[KrpcParser.MaxDatagram + 1], out _));
        var values = new BList();
        for (int i = 0; i < 350; i++)
        {
            values.Add(new BString(new byte[] { 1, 2, 3, (byte)i, 0, 1 }));
        }

        var r = KrpcBuilder.WithId(Ours);
        r.Set(KrpcBuilder.ValuesKey, values);
        var parsed = KrpcParser.Parse(KrpcBuilder.Response([1], r, new IPEndPoint(IPAddress.Loopback, 1)), out _);
        Assert.Equal(KrpcParser.MaxValues, parsed!.Values!.Count);
    }

    private static KrpcMessage? Parse(string text) => KrpcParser.Parse(Encoding.Latin1.GetBytes(text), out _);

    private static string Id(char c) => new(c, 20);
}
