using GodotTorrent.Peers.Protocol;
using GodotTorrent.Swarm;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Swarm;

public class RequestSchedulerTests
{
    private const int Block = BlockRequest.BlockSize;
    private const int PieceLength = 4 * Block;
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _time = new(T0);
    private readonly Budget _budget = new();
    private readonly Dictionary<int, Source> _sources = [];
    private readonly PiecePicker _picker;
    private readonly RequestScheduler _scheduler;

    public RequestSchedulerTests()
    {
        _picker = new PiecePicker(16L * PieceLength, PieceLength, random: new Random(1));
        _scheduler = new RequestScheduler(() => _picker, _budget, id => _sources.GetValueOrDefault(id));
    }

    private Source Seed(int id)
    {
        var source = new Source(id, _time);
        _sources[id] = source;
        _picker.PeerHasAll(id);
        _picker.PeerUnchoked(id);
        return source;
    }

    [Fact]
    public void Refill_requests_until_the_queue_is_full_and_records_each_request()
    {
        var source = Seed(1);

        var stall = _scheduler.Refill(source, T0);

        Assert.Equal(RequestStall.None, stall);
        int depth = RequestQueue.DepthFor(RequestScheduler.MinQueueRate);
        Assert.Equal(depth, source.Sent.Count);
        Assert.Equal(depth, source.Outstanding.Count);
        Assert.Equal(depth, source.Requests.Outstanding);
        Assert.Equal(depth * Block, _budget.Reserved);
        Assert.Equal(T0, source.LastRequest);
    }

    [Fact]
    public void Nothing_is_requested_from_a_source_that_chokes_us_or_that_we_do_not_want()
    {
        var choking = Seed(1);
        choking.PeerChoking = true;
        var uninterested = Seed(2);
        uninterested.AmInterested = false;

        _scheduler.Refill(choking, T0);
        _scheduler.Refill(uninterested, T0);

        Assert.Empty(choking.Sent);
        Assert.Empty(uninterested.Sent);
    }

    [Fact]
    public void A_refused_budget_stops_the_refill_and_hands_the_blocks_back()
    {
        var source = Seed(1);
        _budget.Allow = 2;
        _budget.Refusal = RequestStall.DiskBuffer;

        var stall = _scheduler.Refill(source, T0);

        Assert.Equal(RequestStall.DiskBuffer, stall);
        Assert.Equal(2, source.Sent.Count);
        Assert.Equal(2, source.Outstanding.Count);

        // The blocks handed back can be asked of another source.
        var other = Seed(2);
        _budget.Allow = int.MaxValue;
        _scheduler.Refill(other, T0);
        Assert.DoesNotContain(other.Sent, source.Sent.Contains);
        Assert.NotEmpty(other.Sent);
    }

    [Fact]
    public void An_arriving_block_that_was_asked_for_is_accepted_and_an_unasked_one_is_not()
    {
        var source = Seed(1);
        _scheduler.Refill(source, T0);
        var first = source.Sent[0];

        Assert.Equal(BlockOutcome.Accepted, _scheduler.BlockArrived(source, first));
        Assert.Null(_scheduler.BlockArrived(source, first));
        Assert.DoesNotContain(PiecePicker.Key(first.Piece, first.BlockIndex), source.Outstanding.Keys);
    }

    [Fact]
    public void In_end_game_a_block_from_one_source_cancels_the_duplicate_request_to_the_other()
    {
        var a = Seed(1);
        var b = Seed(2);

        // a is asked for every block, so b can only be asked for duplicates (end-game).
        for (int round = 0; round < 4 && a.Sent.Count < 64; round++)
        {
            a.Requests.Released(a.Requests.Outstanding);
            _scheduler.Refill(a, T0);
        }

        Assert.Equal(64, a.Sent.Count);
        _scheduler.Refill(b, T0);
        var duplicate = b.Sent.First(a.Sent.Contains);
        long reservedBefore = _budget.Reserved;

        _scheduler.BlockArrived(a, duplicate);

        Assert.Contains(duplicate, b.Cancelled);
        Assert.DoesNotContain(PiecePicker.Key(duplicate.Piece, duplicate.BlockIndex), b.Outstanding.Keys);
        Assert.Equal(reservedBefore - duplicate.Length, _budget.Reserved);
    }

    [Fact]
    public void A_reject_gives_the_block_back_to_the_picker_and_releases_its_budget()
    {
        var source = Seed(1);
        _scheduler.Refill(source, T0);
        var rejected = source.Sent[0];
        int outstanding = source.Requests.Outstanding;

        _scheduler.Rejected(source, rejected);

        Assert.Equal(outstanding - 1, source.Requests.Outstanding);
        Assert.Equal((outstanding - 1) * Block, _budget.Reserved);
        var other = Seed(2);
        _scheduler.Refill(other, T0);
        Assert.Contains(rejected, other.Sent);
    }

    [Fact]
    public void Requests_older_than_the_timeout_are_cancelled_and_younger_ones_kept()
    {
        var source = Seed(1);
        _scheduler.Refill(source, T0);
        int old = source.Sent.Count;
        var later = T0.AddSeconds(30);

        Assert.Equal(0, _scheduler.Expire(source, later, TimeSpan.FromSeconds(60)));
        Assert.Equal(old, _scheduler.Expire(source, T0.AddSeconds(61), TimeSpan.FromSeconds(60)));

        Assert.Equal(old, source.Cancelled.Count);
        Assert.Empty(source.Outstanding);
        Assert.Equal(0, source.Requests.Outstanding);
        Assert.Equal(0, _budget.Reserved);
    }

    [Fact]
    public void A_choke_drops_every_request_without_cancels_and_a_fence_cancels_them()
    {
        var choked = Seed(1);
        _scheduler.Refill(choked, T0);

        _scheduler.DropAll(choked, sendCancels: false);

        Assert.Empty(choked.Outstanding);
        Assert.Empty(choked.Cancelled);
        Assert.Equal(0, choked.Requests.Outstanding);
        Assert.Equal(0, _budget.Reserved);

        var fenced = Seed(2);
        _scheduler.Refill(fenced, T0);
        _scheduler.DropAll(fenced, sendCancels: true);
        Assert.Equal(fenced.Sent, fenced.Cancelled);
    }

    private sealed class Budget : IRequestBudget
    {
        public int Allow { get; set; } = int.MaxValue;

        public RequestStall Refusal { get; set; } = RequestStall.RateLimit;

        public long Reserved { get; private set; }

        public RequestStall TryReserve(int length)
        {
            if (Allow <= 0)
            {
                return Refusal;
            }

            Allow--;
            Reserved += length;
            return RequestStall.None;
        }

        public void Release(int length) => Reserved -= length;
    }

    private sealed class Source(int id, TimeProvider time) : IRemotePeer
    {
        public int Id { get; } = id;

        public bool IsClosed => false;

        public bool AmChoking => true;

        public bool AmInterested { get; set; } = true;

        public bool PeerChoking { get; set; }

        public bool PeerInterested => false;

        public Bitfield? Have => null;

        public RateMeter Download { get; } = new();

        public RateMeter Upload { get; } = new();

        public RequestQueue Requests { get; } = new(time);

        RequestQueue? IRemotePeer.Requests => Requests;

        public Dictionary<long, (BlockRequest Block, DateTimeOffset Sent)> Outstanding { get; } = [];

        public DateTimeOffset? LastRequest { get; set; }

        public List<BlockRequest> Sent { get; } = [];

        public List<BlockRequest> Cancelled { get; } = [];

        public void SendRequest(BlockRequest block) => Sent.Add(block);

        public void SendCancel(BlockRequest block) => Cancelled.Add(block);

        public void SendHave(int piece)
        {
        }
    }
}
