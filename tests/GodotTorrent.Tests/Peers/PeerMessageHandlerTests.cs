using System.Net;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Swarm;
using GodotTorrent.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Peers;

public class PeerMessageHandlerTests
{
    private const int Pieces = 8;
    private const int PieceLength = 4 * BlockRequest.BlockSize;
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly Host _host = new();
    private readonly PeerMessageHandler _handler;

    public PeerMessageHandlerTests() => _handler = new PeerMessageHandler(_host);

    private static PeerConnection Connect(int id, bool fast = true, bool dht = false) =>
        new(id, new NullStream(), PeerId.Generate(), HandshakeReserved.Create(extensionProtocol: true, fastExtension: fast, dht: dht), outgoing: true, T0, PeerWireLimits.Default);

    private static InboundMessage Message(PeerMessageType type, int index = 0, int begin = 0, int length = 0, byte[]? data = null) =>
        new(type, index, begin, length, 0, data, 5);

    [Fact]
    public void A_have_for_a_piece_we_want_makes_us_interested_and_reaches_the_picker()
    {
        _host.Picker = new PiecePicker((long)Pieces * PieceLength, PieceLength, random: new Random(1));
        var peer = Connect(1);

        _handler.Handle(peer, Message(PeerMessageType.Have, index: 3));

        Assert.True(peer.Have![3]);
        Assert.True(peer.AmInterested);
        Assert.Equal(1, _host.Picker.Availability(3));
    }

    [Fact]
    public void Piece_messages_before_the_metadata_wait_for_it()
    {
        _host.PieceCount = null;
        var peer = Connect(1);

        _handler.Handle(peer, Message(PeerMessageType.HaveAll));

        Assert.Null(peer.Have);
        Assert.Single(peer.PendingPieceMessages!);
    }

    [Fact]
    public void A_port_message_gives_the_dht_one_node_per_connection_and_port_zero_is_ignored()
    {
        var peer = Connect(1, dht: true);

        _handler.Handle(peer, Message(PeerMessageType.Port, index: 0));
        _handler.Handle(peer, Message(PeerMessageType.Port, index: 6881));
        _handler.Handle(peer, Message(PeerMessageType.Port, index: 6882));

        Assert.Equal([(1, 6881)], _host.DhtPorts);
    }

    [Fact]
    public void A_port_message_without_the_dht_bit_on_both_sides_is_ignored()
    {
        var peer = Connect(1, dht: false);

        _handler.Handle(peer, Message(PeerMessageType.Port, index: 6881));

        Assert.Empty(_host.DhtPorts);
    }

    [Fact]
    public void Two_seeds_part_company()
    {
        _host.Seeding = true;
        var peer = Connect(1);

        _handler.Handle(peer, Message(PeerMessageType.HaveAll));

        Assert.Equal(ErrorCode.PeerNotUseful, _host.Disconnected[peer.Id]);
    }

    [Fact]
    public void Requests_are_queued_only_for_pieces_we_have_and_only_while_unchoked()
    {
        _host.OurPieces[2] = true;
        var peer = Connect(1);

        _handler.Handle(peer, Message(PeerMessageType.Request, index: 2, length: BlockRequest.BlockSize));
        Assert.Empty(peer.PeerRequests);

        peer.AmChoking = false;
        _handler.Handle(peer, Message(PeerMessageType.Request, index: 2, length: BlockRequest.BlockSize));
        _handler.Handle(peer, Message(PeerMessageType.Request, index: 5, length: BlockRequest.BlockSize));
        Assert.Equal([new BlockRequest(2, 0, BlockRequest.BlockSize)], peer.PeerRequests);

        _handler.Handle(peer, Message(PeerMessageType.Cancel, index: 2, length: BlockRequest.BlockSize));
        Assert.Empty(peer.PeerRequests);
    }

    [Fact]
    public void An_interested_peer_is_unchoked_at_once_when_a_slot_is_free()
    {
        var peer = Connect(1);
        _host.FreeSlot = false;
        _handler.Handle(peer, Message(PeerMessageType.Interested));
        Assert.Empty(_host.Unchoked);

        var other = Connect(2);
        _host.FreeSlot = true;
        _handler.Handle(other, Message(PeerMessageType.Interested));
        Assert.Equal([2], _host.Unchoked);
        Assert.True(other.PeerInterested);
    }

    [Fact]
    public void Messages_arriving_after_the_torrent_stopped_change_nothing()
    {
        _host.IsStopped = true;
        var peer = Connect(1);

        _handler.OnMessages(peer, [Message(PeerMessageType.Unchoke)]);

        Assert.True(peer.PeerChoking);
        Assert.Equal(1, _host.Batches);
    }

    [Fact]
    public void A_silent_peer_is_disconnected_and_a_quiet_link_hears_a_keep_alive()
    {
        var silent = Connect(1);
        var quiet = Connect(2);
        quiet.LastReceived = T0.AddMinutes(2);

        _handler.Tick(silent, T0.AddMinutes(2).AddSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(2));
        _handler.Tick(quiet, T0.AddMinutes(2).AddSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(2));

        Assert.Equal(ErrorCode.PeerInactive, _host.Disconnected[1]);
        Assert.False(_host.Disconnected.ContainsKey(2));
        Assert.Equal(T0.AddMinutes(2).AddSeconds(1), quiet.LastSent);
        Assert.True(quiet.QueuedSendBytes > 0);
    }

    private sealed class Host : IPeerMessageHost, IRequestBudget
    {
        public Host() => Requests = new RequestScheduler(() => Picker, this, _ => null);

        public bool IsStopped { get; set; }

        public DateTimeOffset Now => T0;

        public int? PieceCount { get; set; } = Pieces;

        public PiecePicker? Picker { get; set; }

        public Bitfield OurPieces { get; } = new(Pieces);

        public bool Seeding { get; set; }

        bool IPeerMessageHost.IsSeeding => Seeding;

        public bool UploadOnly => false;

        public RequestScheduler Requests { get; }

        public bool FreeSlot { get; set; }

        bool IPeerMessageHost.HasFreeUploadSlot => FreeSlot;

        public List<int> Unchoked { get; } = [];

        public Dictionary<int, ErrorCode> Disconnected { get; } = [];

        public int Batches { get; private set; }

        public List<(int Peer, int Port)> DhtPorts { get; } = [];

        public List<PeerMessageType> HashMessages { get; } = [];

        public void Unchoke(PeerConnection peer)
        {
            peer.AmChoking = false;
            Unchoked.Add(peer.Id);
        }

        public void Disconnect(PeerConnection peer, ErrorCode code, string reason) => Disconnected[peer.Id] = code;

        public void OnBlock(PeerConnection peer, in InboundMessage message)
        {
        }

        public void OnExtended(PeerConnection peer, in InboundMessage message)
        {
        }

        public void OnDhtPort(PeerConnection peer, int port) => DhtPorts.Add((peer.Id, port));

        public void OnHashMessage(PeerConnection peer, in InboundMessage message) => HashMessages.Add(message.Type);

        public void AfterBatch(PeerConnection peer) => Batches++;

        public RequestStall TryReserve(int length) => RequestStall.None;

        public void Release(int length)
        {
        }
    }

    private sealed class NullStream : IPeerConnectionStream
    {
        public GodotTorrent.Session.PeerTransport Transport => GodotTorrent.Session.PeerTransport.Tcp;

        public IPEndPoint RemoteEndPoint { get; } = new(IPAddress.Loopback, 6881);

        public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, 6882);

        public ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken) => ValueTask.FromResult(0);

        public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public void Abort()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
