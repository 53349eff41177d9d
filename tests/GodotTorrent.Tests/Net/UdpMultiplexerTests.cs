using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using GodotTorrent.Net;
using Microsoft.Extensions.Logging.Abstractions;

namespace GodotTorrent.Tests.Net;

public sealed class UdpMultiplexerTests
{
    [Fact]
    public async Task Datagrams_reach_the_handler_that_claims_their_shape_on_one_socket()
    {
        var received = Channel.CreateUnbounded<(string Handler, byte[] Data)>();
        await using var multiplexer = UdpMultiplexer.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        multiplexer.Register(new Handler("dht", (d, _) => DatagramShape.IsBencodedDictionary(d), received.Writer));
        multiplexer.Register(new Handler("utp", (d, _) => DatagramShape.IsUtp(d), received.Writer));
        multiplexer.Start();

        // Registered on the running socket, as the DHT joins one uTP already listens on.
        multiplexer.Register(new Handler("tracker", (d, _) => DatagramShape.IsUdpTrackerReply(d, out uint id) && id == 0xCAFE, received.Writer));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        var dht = "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe"u8.ToArray();
        var utp = new byte[20];
        utp[0] = 0x41; // ST_SYN, version 1
        var tracker = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(tracker.AsSpan(4), 0xCAFE);
        var strangerTracker = new byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(strangerTracker.AsSpan(4), 0xBEEF);
        foreach (var datagram in new[] { dht, strangerTracker, utp, tracker })
        {
            await client.SendToAsync(datagram, SocketFlags.None, multiplexer.LocalEndPoint);
        }

        var got = new List<(string Handler, byte[] Data)>();
        for (int i = 0; i < 3; i++)
        {
            got.Add(await received.Reader.ReadAsync());
        }

        Assert.Equal(["dht", "utp", "tracker"], got.Select(g => g.Handler));
        Assert.Equal(dht, got[0].Data);
        Assert.Equal(utp, got[1].Data);
        Assert.Equal(tracker, got[2].Data);
        Assert.Equal(1, multiplexer.Unclaimed);
    }

    [Fact]
    public async Task A_handler_answers_through_the_shared_socket_and_a_failing_handler_does_not_stop_it()
    {
        await using var multiplexer = UdpMultiplexer.Bind(new IPEndPoint(IPAddress.Loopback, 0), NullLogger.Instance);
        multiplexer.Register(new Throwing());
        multiplexer.Register(new Echo(multiplexer));
        multiplexer.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        await client.SendToAsync("boom"u8.ToArray(), SocketFlags.None, multiplexer.LocalEndPoint);
        await client.SendToAsync("d4:echoe"u8.ToArray(), SocketFlags.None, multiplexer.LocalEndPoint);
        var reply = new byte[64];
        var result = await client.ReceiveFromAsync(reply, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0));

        Assert.Equal("d4:echoe"u8.ToArray(), reply[..result.ReceivedBytes]);
        Assert.Equal(multiplexer.LocalEndPoint, result.RemoteEndPoint);
    }

    [Fact]
    public void Shapes_tell_the_protocols_apart()
    {
        Assert.True(DatagramShape.IsBencodedDictionary("d1:ai1ee"u8));
        Assert.False(DatagramShape.IsBencodedDictionary("l1:ae"u8));
        Assert.False(DatagramShape.IsUtp(new byte[20] { 0x51, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })); // Type 5 does not exist.
        Assert.False(DatagramShape.IsUtp(new byte[19] { 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }));
        var error = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(error, 3);
        Assert.True(DatagramShape.IsUdpTrackerReply(error, out _));
        BinaryPrimitives.WriteUInt32BigEndian(error, 4);
        Assert.False(DatagramShape.IsUdpTrackerReply(error, out _));
    }

    private delegate bool Shape(ReadOnlySpan<byte> datagram, IPEndPoint from);

    private sealed class Handler(string name, Shape shape, ChannelWriter<(string, byte[])> output) : IDatagramHandler
    {
        public bool Claims(ReadOnlySpan<byte> datagram, IPEndPoint from) => shape(datagram, from);

        public void Receive(ReadOnlySpan<byte> datagram, IPEndPoint from) => output.TryWrite((name, datagram.ToArray()));
    }

    private sealed class Throwing : IDatagramHandler
    {
        public bool Claims(ReadOnlySpan<byte> datagram, IPEndPoint from) => datagram.SequenceEqual("boom"u8);

        public void Receive(ReadOnlySpan<byte> datagram, IPEndPoint from) => throw new InvalidOperationException("broken handler");
    }

    private sealed class Echo(UdpMultiplexer socket) : IDatagramHandler
    {
        public bool Claims(ReadOnlySpan<byte> datagram, IPEndPoint from) => DatagramShape.IsBencodedDictionary(datagram);

        public void Receive(ReadOnlySpan<byte> datagram, IPEndPoint from) => socket.Send(datagram, from);
    }
}
