using System.Net;
using GodotTorrent.Bencoding;
using GodotTorrent.Dht;
using GodotTorrent.Dht.Items;
using GodotTorrent.Tests.Simulation;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Dht;

/// <summary>
/// BEP 44's serving side of one engine on the simulated network, through hand-made KRPC packets
/// from a <see cref="SimDatagramTap"/>: get and put of both kinds, each error code, stolen tokens,
/// and BEP 43's silence.
/// </summary>
public sealed class DhtItemServingTests
{
    private static readonly Id20 Stranger = new(Enumerable.Repeat((byte)0x5A, 20).ToArray());
    private static readonly DhtKeyPair Keys = DhtKeyPair.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private static readonly DhtKeyPair OtherKeys = DhtKeyPair.FromSeed(Enumerable.Range(40, 32).Select(i => (byte)i).ToArray());

    [Fact]
    public void An_immutable_item_put_is_served_by_get()
    {
        using var bench = new Bench(seed: 41);
        byte[] value = "12:Hello World!"u8.ToArray();
        var target = DhtItemFormat.ImmutableTarget(value);
        var first = bench.Get(target);
        Assert.Null(first.Item);
        Assert.NotNull(first.Token);

        var put = new BDictionary();
        DhtPutArguments.ForImmutable(first.Token, value).WriteTo(put);
        Assert.Equal(KrpcKind.Response, bench.Ask(KrpcMethod.Put, put).Kind);

        var got = bench.Get(target);
        Assert.True(got.Item!.TryGetImmutable(target, out var served));
        Assert.Equal(value, served);
    }

    [Theory]
    [InlineData("")]
    [InlineData("foobar")]
    public void A_mutable_item_put_is_served_by_get_and_seq_omits_an_item_not_newer(string salt)
    {
        using var bench = new Bench(seed: 42);
        byte[] saltBytes = System.Text.Encoding.ASCII.GetBytes(salt);
        var item = DhtMutableItem.Sign(Keys, saltBytes, 4, "12:Hello World!"u8);
        var token = bench.Get(item.Target).Token!;

        Assert.Equal(KrpcKind.Response, bench.Put(DhtPutArguments.ForMutable(token, item)).Kind);

        var got = bench.Get(item.Target);
        Assert.True(got.Item!.TryGetMutable(item.Target, saltBytes, out var served));
        Assert.Equal(4, served.Sequence);
        Assert.Equal(item.Value.ToArray(), served.Value.ToArray());

        // BEP 44: an asker that already has seq 4 gets only the number back.
        var known = bench.Get(item.Target, sequence: 4);
        Assert.False(known.Item!.HasValue);
        Assert.Equal(4, known.Item.Sequence);
        Assert.True(bench.Get(item.Target, sequence: 3).Item!.HasValue);
    }

    [Fact]
    public void Each_refused_put_gets_its_BEP_44_error_code_and_counts_as_a_drop()
    {
        using var bench = new Bench(seed: 43);
        var item = DhtMutableItem.Sign(Keys, "s"u8, 5, "1:a"u8);
        var token = bench.Get(item.Target).Token!;
        Assert.Equal(KrpcKind.Response, bench.Put(DhtPutArguments.ForMutable(token, item)).Kind);
        long dropped = bench.Node.Engine.Statistics.PacketsDropped;

        // 205: a value over 1,000 bytes.
        var big = new BDictionary();
        big.Set("token", new BString(token));
        big.Set("v", new BString(new byte[1200]));
        Assert.Equal(205, bench.Ask(KrpcMethod.Put, big).ErrorCode);

        // 206: a signature that does not verify (the value changed after signing).
        var forged = new DhtMutableItem(item.PublicKey, item.Salt, 6, "1:b"u8, item.Signature);
        Assert.Equal(206, bench.Put(DhtPutArguments.ForMutable(token, forged)).ErrorCode);

        // 207: a salt over 64 bytes.
        var salty = new BDictionary();
        DhtPutArguments.ForMutable(token, item).WriteTo(salty);
        salty.Set("salt", new BString(new byte[65]));
        Assert.Equal(207, bench.Ask(KrpcMethod.Put, salty).ErrorCode);

        // 301: the cas is not the stored sequence number.
        var next = DhtMutableItem.Sign(Keys, "s"u8, 6, "1:c"u8);
        Assert.Equal(301, bench.Put(DhtPutArguments.ForMutable(token, next, cas: 4)).ErrorCode);

        // 302: a lower sequence number.
        var older = DhtMutableItem.Sign(Keys, "s"u8, 3, "1:d"u8);
        Assert.Equal(302, bench.Put(DhtPutArguments.ForMutable(token, older)).ErrorCode);

        // The right cas goes through.
        Assert.Equal(KrpcKind.Response, bench.Put(DhtPutArguments.ForMutable(token, next, cas: 5)).Kind);
        Assert.True(bench.Get(item.Target).Item!.TryGetMutable(item.Target, "s"u8, out var stored));
        Assert.Equal(6, stored.Sequence);
        Assert.Equal(dropped + 5, bench.Node.Engine.Statistics.PacketsDropped);
    }

    [Fact]
    public void A_token_from_another_address_is_refused()
    {
        using var bench = new Bench(seed: 44);
        byte[] value = "i42e"u8.ToArray();
        var token = bench.Get(DhtItemFormat.ImmutableTarget(value)).Token!;
        var thief = new SimDatagramTap(bench.Dht.Swarm.Network, new IPEndPoint(bench.Dht.Swarm.Network.AddHost().Address, 6881));
        var put = new BDictionary();
        DhtPutArguments.ForImmutable(token, value).WriteTo(put);

        Assert.Equal(KrpcBuilder.ProtocolError, bench.Ask(KrpcMethod.Put, put, thief).ErrorCode);
        Assert.Null(bench.Get(DhtItemFormat.ImmutableTarget(value)).Item);
        Assert.Equal(0, bench.Node.Engine.Items.Count);
    }

    [Fact]
    public void A_read_only_node_serves_no_get_and_stores_no_put()
    {
        using var bench = new Bench(seed: 45, new DhtOptions(ReadOnly: true, UploadRateLimit: 0));
        byte[] value = "i42e"u8.ToArray();
        var put = new BDictionary();
        DhtPutArguments.ForImmutable([1, 2, 3, 4], value).WriteTo(put);
        bench.Send(KrpcMethod.Put, put, bench.Tap);
        var get = new BDictionary();
        new DhtGetArguments(DhtItemFormat.ImmutableTarget(value)).WriteTo(get);
        bench.Send(KrpcMethod.Get, get, bench.Tap);
        bench.Dht.Swarm.RunFor(TimeSpan.FromSeconds(5));

        Assert.Empty(bench.Tap.Received);
        Assert.Equal(0, bench.Node.Engine.Items.Count);
    }

    /// <summary>One engine and a tap to ask it from.</summary>
    private sealed class Bench : IDisposable
    {
        private byte _tid;

        public Bench(int seed, DhtOptions? options = null)
        {
            Dht = new SimDht(seed, routers: 1);
            Dht.Add(1, options);
            Node = Dht.Nodes[0];
            Tap = new SimDatagramTap(Dht.Swarm.Network, new IPEndPoint(Dht.Swarm.Network.AddHost().Address, 6881));
            Dht.Swarm.RunFor(TimeSpan.FromSeconds(1));
        }

        public SimDht Dht { get; }

        public SimDhtNode Node { get; }

        public SimDatagramTap Tap { get; }

        public KrpcMessage Get(Id20 target, long? sequence = null)
        {
            var arguments = new BDictionary();
            new DhtGetArguments(target, sequence).WriteTo(arguments);
            return Ask(KrpcMethod.Get, arguments);
        }

        public KrpcMessage Put(DhtPutArguments put)
        {
            var arguments = new BDictionary();
            put.WriteTo(arguments);
            return Ask(KrpcMethod.Put, arguments);
        }

        /// <summary>Sends one query and returns the one reply to it (the node may also ping a newcomer).</summary>
        public KrpcMessage Ask(KrpcMethod method, BDictionary arguments, SimDatagramTap? from = null)
        {
            from ??= Tap;
            int before = from.Received.Count;
            Send(method, arguments, from);
            Dht.Swarm.RunFor(TimeSpan.FromSeconds(1));
            return Assert.Single(
                from.Received.Skip(before).Select(d => KrpcParser.Parse(d.Data, out _)),
                m => m is { Kind: not KrpcKind.Query } && m.TransactionId.SequenceEqual(new[] { _tid }))!;
        }

        public void Send(KrpcMethod method, BDictionary arguments, SimDatagramTap from)
        {
            arguments.Set(KrpcBuilder.IdKey, new BString(Stranger.ToArray()));
            from.Send(KrpcBuilder.Query([++_tid], method, arguments, false), Node.EndPoint);
        }

        public void Dispose() => Dht.Dispose();
    }
}
