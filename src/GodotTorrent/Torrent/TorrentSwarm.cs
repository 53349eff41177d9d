using GodotTorrent.Peers.Protocol;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;
using GodotTorrent.WebSeeds;

namespace GodotTorrent.Torrent;

/// <summary>
/// The torrent's swarm side: the picker, request scheduling against the disk and rate budgets,
/// blocks in, upload-only, and the swarm side of pieces passing and failing (haves, and blame
/// through <see cref="SmartBan"/>: who sent each block of a piece being downloaded is kept until it is hashed).
/// Web seeds are sources here like peers, but stay out of the smart ban: a failed piece all from one web seed strikes it instead.
/// </summary>
internal sealed class TorrentSwarm : IRequestBudget
{
    // End-game duplicates per peer: a few keep an idle fast peer busy on the tail without fetching everything twice.
    private const int EndGameMaxPending = 4;

    // More unrequested blocks than requests sent cannot be late answers: the peer is sending junk.
    private const int UnrequestedSlack = 8;

    // The picker's peer id for blocks kept from a failed piece (no connection has it).
    private const int RestoredBlocks = int.MinValue;

    private readonly ITorrentSwarmHost _host;
    private readonly TorrentData _data;
    private readonly Dictionary<int, PeerConnection> _peers;
    private readonly Dictionary<int, WebSeedPeer> _webSeeds;
    private readonly Dictionary<int, IRemotePeer?[]> _senders = [];
    private readonly SmartBan _smartBan = new();
    private readonly RateLimiter _downloadLimiter;
    private readonly RateMeter _download;
    private readonly TimeProvider _time;
    private PiecePicker? _picker;
    private bool _refillScheduled;

    public TorrentSwarm(ITorrentSwarmHost host, TorrentData data, Dictionary<int, PeerConnection> peers, Dictionary<int, WebSeedPeer> webSeeds, RateLimiter downloadLimiter, RateMeter download, TimeProvider time)
    {
        _webSeeds = webSeeds;
        _host = host;
        _data = data;
        _peers = peers;
        _downloadLimiter = downloadLimiter;
        _download = download;
        _time = time;
        Requests = new RequestScheduler(() => Picker, this, id => peers.TryGetValue(id, out var peer) ? peer : webSeeds.GetValueOrDefault(id));
        Streams = new TorrentStreams(this, host, data, peers);
    }

    /// <summary>The picker; dropping it (a recheck) forgets who sent the blocks of unfinished pieces.</summary>
    public PiecePicker? Picker
    {
        get => _picker;
        set
        {
            _picker = value;
            if (value is null)
            {
                _senders.Clear();
            }
            else
            {
                Streams.PickerCreated();
            }
        }
    }

    public RequestScheduler Requests { get; }

    /// <summary>The open streams' windows and waiting reads (their deadlines are in the picker).</summary>
    public TorrentStreams Streams { get; }

    public long RedundantBytes { get; private set; }

    /// <summary>Payload bytes received from web seeds (late copies included, as a peer's download counts them).</summary>
    public long WebSeedBytes { get; private set; }

    public bool UploadOnly { get; set; }

    public void CreatePicker(Random random, bool sequential, bool firstAndLastPiecesFirst) =>
        Picker = _data.CreatePicker(random, sequential, firstAndLastPiecesFirst, EndGameMaxPending);

    /// <summary>Tells the new picker about a peer that connected during the check, before the picker existed.</summary>
    public void AddExistingPeer(PeerConnection peer)
    {
        if (peer.Have is not null)
        {
            Picker!.PeerHas(peer.Id, peer.Have);
        }

        if (!peer.PeerChoking)
        {
            Picker!.PeerUnchoked(peer.Id);
        }
    }

    public Priority GetPiecePriority(int piece) =>
        Picker is not null && (uint)piece < (uint)Picker.PieceCount
            ? (Priority)Picker.GetPiecePriority(piece)
            : throw new TorrentException(ErrorCode.InvalidArgument, $"There is no piece {piece} (or the metadata is not known yet).");

    public void SetPiecePriority(int piece, Priority priority)
    {
        if (Picker is null || (uint)piece >= (uint)Picker.PieceCount || !Enum.IsDefined(priority))
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"There is no piece {piece}, or the priority is not 0 to 7.");
        }

        Picker.SetPiecePriority(piece, (int)priority);
        foreach (var peer in _peers.Values)
        {
            _host.UpdateInterest(peer);
        }
    }

    public IReadOnlyList<Priority> GetPiecePriorities() =>
        Picker is null ? [] : Enumerable.Range(0, Picker.PieceCount).Select(p => (Priority)Picker.GetPiecePriority(p)).ToList();

    /// <summary>Sets every piece's priority; the caller updates completion, then <see cref="UpdateInterestAndRefill"/>.</summary>
    public void SetPiecePriorities(IReadOnlyList<Priority> priorities)
    {
        if (Picker is null || priorities.Count != Picker.PieceCount || priorities.Any(p => !Enum.IsDefined(p)))
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"Give one priority from 0 to 7 for each of the {Picker?.PieceCount ?? 0} pieces.");
        }

        for (int piece = 0; piece < priorities.Count; piece++)
        {
            Picker.SetPiecePriority(piece, (int)priorities[piece]);
        }
    }

    public void UpdateInterestAndRefill()
    {
        foreach (var peer in _peers.Values)
        {
            _host.UpdateInterest(peer);
            Refill(peer);
        }
    }

    /// <summary>How many connected peers have each piece.</summary>
    public int[] Availability(int pieceCount)
    {
        var availability = new int[pieceCount];
        if (Picker is not null)
        {
            for (int i = 0; i < availability.Length; i++)
            {
                availability[i] = Picker.Availability(i);
            }

            return availability;
        }

        // While the files are checked the picker does not exist yet; the peers' bitfields do.
        foreach (var peer in _peers.Values)
        {
            if (peer.Have is { } have && have.Count == availability.Length)
            {
                for (int i = have.NextSet(0); i >= 0; i = have.NextSet(i + 1))
                {
                    availability[i]++;
                }
            }
        }

        return availability;
    }

    public double DistributedCopies() => Picker?.DistributedCopies() ?? 0;

    public void OnPiecePassed(int piece, ulong[]? blockDigests)
    {
        Picker!.PieceVerified(piece);
        Streams.PieceVerified(piece);
        _senders.Remove(piece);
        foreach (var peer in _peers.Values)
        {
            // A peer with every piece has no use for our HAVE (BEP 3 leaves it to us): each one is a
            // wake-up and a read for a seed that is busy serving us. Nothing of ours needs the seed to
            // know our progress (no super-seeding; we close seed-to-seed connections ourselves).
            if (!peer.HasAll)
            {
                peer.SendHave(piece);
            }

            _host.UpdateInterest(peer);
        }

        if (blockDigests is not null && _smartBan.HasEvidence(piece))
        {
            foreach (var (sender, badBlocks) in _smartBan.PiecePassed(piece, blockDigests))
            {
                _host.BlameForBadData(sender, proven: true, $"smart ban: {badBlocks} block(s) it sent for piece {piece} differ from the data that passed");
            }
        }
    }

    /// <summary>
    /// A failed piece is evidence, not yet blame: only a piece whose every block came from one peer
    /// strikes that peer now; with several senders nobody is blamed until the piece passes.
    /// </summary>
    public void OnPieceFailed(int piece, ulong[]? blockDigests)
    {
        Picker!.PieceFailed(piece);
        if (!_senders.Remove(piece, out var senders))
        {
            return;
        }

        if (OnlyWebSeed(senders) is { } seed)
        {
            _host.WebSeedPieceFailed(seed, piece);
        }

        if (blockDigests is null)
        {
            return;
        }

        // A v2 piece's wire size may run past its data (the alignment gap): only blocks with data count.
        int blocks = Math.Min(senders.Length, blockDigests.Length);
        var evidence = new List<BlockEvidence>(blocks);
        for (int block = 0; block < blocks; block++)
        {
            if (senders[block] is PeerConnection peer)
            {
                evidence.Add(new BlockEvidence(block, new BlockSender(peer.StandingEndPoint, peer.PeerId), blockDigests[block]));
            }
        }

        if (_smartBan.PieceFailed(piece, blocks, evidence) is { } culprit)
        {
            _host.BlameForBadData(culprit, proven: false, $"piece {piece}, all of it from this peer, failed its hash check");
        }

        // The writer digests a passed piece's blocks only when asked: this one's evidence needs them.
        if (_smartBan.HasEvidence(piece))
        {
            _data.Writer?.WantBlockDigests(piece);
        }
    }

    /// <summary>
    /// A failed v2 piece whose blocks were checked against proven BEP 52 block hashes: each sender of
    /// a bad block is banned (the proof is cryptographic), the good blocks are kept (in the picker
    /// and, by their leaves, in the writer) and only the bad ones are requested again.
    /// </summary>
    public void OnBlocksChecked(int piece, IReadOnlyList<int> badBlocks, byte[] leaves)
    {
        var senders = _senders.GetValueOrDefault(piece);
        var blamed = new Dictionary<IRemotePeer, int>();
        foreach (int block in badBlocks)
        {
            if (senders is not null && (uint)block < (uint)senders.Length && senders[block] is { } sender)
            {
                blamed[sender] = blamed.GetValueOrDefault(sender) + 1;
                senders[block] = null;
            }
        }

        foreach (var (sender, count) in blamed)
        {
            if (sender is PeerConnection peer)
            {
                _host.BlameForBadData(new BlockSender(peer.StandingEndPoint, peer.PeerId), proven: true, $"{count} block(s) it sent for piece {piece} do not match their BEP 52 block hashes");
            }
            else if (sender is WebSeedPeer seed)
            {
                _host.WebSeedPieceFailed(seed, piece);
            }
        }

        var picker = Picker!;
        picker.PieceFailed(piece);
        int blocks = picker.BlockCount(piece);
        var good = new Bitfield(blocks);
        var cancelled = new List<int>();
        for (int block = 0; block < blocks; block++)
        {
            if (badBlocks.Contains(block))
            {
                continue;
            }

            // Marked received by no peer: the picker requests only the bad blocks again.
            picker.BlockReceived(RestoredBlocks, new BlockRequest(piece, block * BlockRequest.BlockSize, Math.Min(BlockRequest.BlockSize, picker.PieceSize(piece) - (block * BlockRequest.BlockSize))), cancelled);
            good[block] = true;
        }

        _data.Writer?.RestorePartialPiece(piece, good, leaves);
        UpdateInterestAndRefill();
    }

    /// <summary>True when a peer that speaks v2 and has <paramref name="piece"/> could be asked for its block hashes.</summary>
    public static bool CanServeBlockHashes(PeerConnection peer, int piece) =>
        peer.SpeaksV2 && !peer.IsClosed && peer.Have is { } have && (uint)piece < (uint)have.Count && have[piece];

    // The web seed that sent every block of a piece, if one did.
    private static WebSeedPeer? OnlyWebSeed(IRemotePeer?[] senders)
    {
        if (senders.Length == 0 || senders[0] is not WebSeedPeer seed)
        {
            return null;
        }

        foreach (var sender in senders)
        {
            if (!ReferenceEquals(sender, seed))
            {
                return null;
            }
        }

        return seed;
    }

    public void CancelAllRequests()
    {
        foreach (var peer in _peers.Values)
        {
            Requests.DropAll(peer, sendCancels: true);
        }

        foreach (var seed in _webSeeds.Values)
        {
            Requests.DropAll(seed, sendCancels: true);
        }
    }

    /// <summary>Sends as many requests as the peer's queue, the download limit and the disk budget allow.</summary>
    public void Refill(IRemotePeer peer)
    {
        if (!_host.MayRequest || _data.Writer is null || _data.Fenced || UploadOnly)
        {
            return;
        }

        var stall = Requests.Refill(peer, _host.Now);
        if (stall == RequestStall.DiskBuffer)
        {
            _host.WarnPerformance("the disk buffer is full: downloading waits for the disk");
        }

        if (stall != RequestStall.None)
        {
            ScheduleRefill(TimeSpan.FromMilliseconds(50));
        }
    }

    RequestStall IRequestBudget.TryReserve(int length)
    {
        if (_data.Writer is null || !_data.Writer.TryReserve(length))
        {
            return RequestStall.DiskBuffer;
        }

        if (!_downloadLimiter.TryConsumeAll(length))
        {
            _data.Writer.Release(length);
            return RequestStall.RateLimit;
        }

        return RequestStall.None;
    }

    void IRequestBudget.Release(int length) => _data.Writer?.Release(length);

    public void ScheduleRefill(TimeSpan delay)
    {
        if (_refillScheduled)
        {
            return;
        }

        _refillScheduled = true;
        _ = RefillLaterAsync(delay);
    }

    private async Task RefillLaterAsync(TimeSpan delay)
    {
        await Task.Delay(delay, _time).ConfigureAwait(true);
        _refillScheduled = false;
        foreach (var peer in _peers.Values)
        {
            Refill(peer);
            _host.ServeUploads(peer);
        }

        foreach (var seed in _webSeeds.Values)
        {
            Refill(seed);
        }
    }

    /// <summary>A block from a web seed (BEP 19): the same path as a peer's, so it is hashed before it counts.</summary>
    public void OnWebSeedBlock(WebSeedPeer seed, BlockRequest block, byte[] buffer)
    {
        _download.Add(block.Length);
        seed.Download.Add(block.Length);
        WebSeedBytes += block.Length;
        if (_data.Writer is null || Requests.BlockArrived(seed, block) is not { } outcome)
        {
            // Cancelled (end-game, a back-off, a recheck) while the GET carried it.
            RedundantBytes += block.Length;
            BlockPool.Shared.Return(buffer);
            return;
        }

        Write(seed, block, buffer, outcome);
    }

    public void OnBlock(PeerConnection peer, in InboundMessage message)
    {
        var buffer = message.Data!;
        var block = new BlockRequest(message.Index, message.Begin, message.Length);
        _download.Add(block.Length);
        peer.Download.Add(block.Length);
        if (_data.Writer is null)
        {
            RedundantBytes += block.Length;
            BlockPool.Shared.Return(buffer);
            return;
        }

        if (Requests.BlockArrived(peer, block) is not { } outcome)
        {
            // Never written: it answers no request of ours (or one already given up on).
            RedundantBytes += block.Length;
            BlockPool.Shared.Return(buffer);
            if (++peer.UnrequestedBlocks > peer.RequestsSent + UnrequestedSlack)
            {
                TorrentConnections.Disconnect(peer, ErrorCode.UnexpectedMessage, $"it sent {peer.UnrequestedBlocks} blocks we did not request");
            }

            return;
        }

        Write(peer, block, buffer, outcome);
    }

    private void Write(IRemotePeer peer, BlockRequest block, byte[] buffer, BlockOutcome outcome)
    {
        if (outcome is BlockOutcome.Accepted or BlockOutcome.PieceComplete)
        {
            if (!_senders.TryGetValue(block.Piece, out var senders))
            {
                senders = new IRemotePeer?[Picker!.BlockCount(block.Piece)];
                _senders[block.Piece] = senders;
            }

            if ((uint)block.BlockIndex < (uint)senders.Length)
            {
                senders[block.BlockIndex] = peer;
            }

            _data.Writer!.Submit(block.Piece, block.Offset, buffer, block.Length);
        }
        else
        {
            RedundantBytes += block.Length;
            _data.Writer!.Release(block.Length);
            BlockPool.Shared.Return(buffer);
        }
    }
}
