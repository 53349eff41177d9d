using System.Numerics;
using GodotTorrent.Metainfo;
using GodotTorrent.Wire;

namespace GodotTorrent.Torrent;

/// <summary>
/// Fetches the BEP 52 piece layers a torrent lacks (its metadata came from peers, which carry only
/// the info dictionary): for each v2 file of more than one piece, the layer in runs of up to
/// <see cref="NodesPerRequest"/> nodes, each with the uncle hashes that tie it to the file's pieces
/// root, asked of peers that speak v2, at most <see cref="MaxInFlightPerPeer"/> at a time. A
/// rejected or timed-out run goes to another peer (the one that failed is left alone for
/// <see cref="RetryAfter"/>). A run that does not prove its root condemns its sender. A file's
/// layer is installed in the <see cref="TorrentInfo"/> once every run is in. Engine loop only.
/// </summary>
internal sealed class HashPicker
{
    /// <summary>Nodes per request: libtorrent asks this many and refuses to answer more than 512 with a proof.</summary>
    public const int NodesPerRequest = 512;

    /// <summary>Requests out to one peer at once (as libtorrent).</summary>
    public const int MaxInFlightPerPeer = 2;

    /// <summary>A request unanswered this long is given to another peer.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a peer that rejected a run (or let it time out) is not asked for it again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    private readonly TorrentInfo _torrent;
    private readonly int _pieceHeight;
    private readonly List<FileFetch> _files = [];

    public HashPicker(TorrentInfo torrent)
    {
        _torrent = torrent;
        _pieceHeight = PieceLayerTree.PieceHeight(torrent.PieceLength);
        foreach (var file in torrent.Files)
        {
            if (torrent.NeedsPieceLayer(file))
            {
                _files.Add(new FileFetch(file, torrent.PieceLength, _pieceHeight));
            }
        }
    }

    /// <summary>True when no layer is missing.</summary>
    public bool IsComplete => _files.Count == 0;

    /// <summary>The files whose layers are still missing.</summary>
    public IEnumerable<FileEntry> MissingFiles => _files.Select(f => f.File);

    /// <summary>Requests out now (tests look).</summary>
    public int InFlight => _files.Sum(f => f.Runs.Count(r => r.Peer is not null));

    /// <summary>
    /// Picks up to <see cref="MaxInFlightPerPeer"/> runs to ask <paramref name="peer"/> for, marking
    /// them as out to it; the caller sends them.
    /// </summary>
    public List<HashRequest> Pick(int peer, DateTimeOffset now)
    {
        var picked = new List<HashRequest>();
        int inFlight = _files.Sum(f => f.Runs.Count(r => r.Peer == peer));
        foreach (var file in _files)
        {
            foreach (var run in file.Runs)
            {
                if (inFlight >= MaxInFlightPerPeer)
                {
                    return picked;
                }

                if (run.Done || run.Peer is not null || (run.Refused.TryGetValue(peer, out var until) && until > now))
                {
                    continue;
                }

                run.Peer = peer;
                run.Sent = now;
                inFlight++;
                picked.Add(run.Request);
            }
        }

        return picked;
    }

    /// <summary>
    /// A hashes message from <paramref name="peer"/>: ignored when we did not ask it for these
    /// (a late answer), checked against the root otherwise.
    /// </summary>
    /// <returns>What came of it; <paramref name="installed"/> is the file whose layer it completed.</returns>
    public HashesOutcome OnHashes(int peer, in HashRequest request, ReadOnlySpan<byte> hashes, out FileEntry? installed)
    {
        installed = null;
        if (!TryFind(peer, request, out var file, out var run))
        {
            return HashesOutcome.Unrequested;
        }

        run.Peer = null;
        if (!PieceLayerTree.Proves(request, hashes, file.File.PiecesRoot.Span))
        {
            run.Refused[peer] = DateTimeOffset.MaxValue;
            return HashesOutcome.Invalid;
        }

        // The runs past the file's last piece are padding; the layer keeps only the real nodes.
        int real = Math.Min(request.Length, file.Pieces - request.Index);
        hashes[..(real * MerkleTree.HashSize)].CopyTo(file.Layer.AsSpan(request.Index * MerkleTree.HashSize));
        run.Done = true;
        if (file.Runs.Any(r => !r.Done))
        {
            return HashesOutcome.Accepted;
        }

        _files.Remove(file);
        if (!_torrent.TryAddPieceLayer(file.File.Index, file.Layer))
        {
            // Cannot happen when every run proved the root; fetch the file again rather than trust it.
            _files.Add(new FileFetch(file.File, _torrent.PieceLength, _pieceHeight));
            return HashesOutcome.Accepted;
        }

        installed = file.File;
        return HashesOutcome.LayerComplete;
    }

    /// <summary>A hash reject: the run goes to another peer.</summary>
    public void OnReject(int peer, in HashRequest request, DateTimeOffset now)
    {
        if (TryFind(peer, request, out _, out var run))
        {
            run.Peer = null;
            run.Refused[peer] = now + RetryAfter;
        }
    }

    /// <summary>Releases runs out too long, or to peers no longer connected.</summary>
    public void Expire(DateTimeOffset now, Func<int, bool> connected)
    {
        foreach (var run in _files.SelectMany(f => f.Runs))
        {
            if (run.Peer is { } peer && (!connected(peer) || now - run.Sent > Timeout))
            {
                run.Peer = null;
                run.Refused[peer] = now + RetryAfter;
            }

            if (run.Refused.Count > 64)
            {
                // Bounded: forget refusals that have run out.
                foreach (var stale in run.Refused.Where(r => r.Value <= now).Select(r => r.Key).ToList())
                {
                    run.Refused.Remove(stale);
                }
            }
        }
    }

    private bool TryFind(int peer, in HashRequest request, out FileFetch file, out Run run)
    {
        foreach (var candidate in _files)
        {
            foreach (var r in candidate.Runs)
            {
                if (r.Peer == peer && r.Request.SameAs(request))
                {
                    (file, run) = (candidate, r);
                    return true;
                }
            }
        }

        (file, run) = (null!, null!);
        return false;
    }

    private sealed class FileFetch
    {
        public FileFetch(FileEntry file, int pieceLength, int pieceHeight)
        {
            File = file;
            Pieces = (int)((file.Length + pieceLength - 1) / pieceLength);
            Layer = new byte[Pieces * MerkleTree.HashSize];
            int width = (int)MerkleTree.RoundUpToPowerOfTwo(Pieces);
            int height = BitOperations.Log2((uint)width);
            for (int index = 0; index < Pieces; index += NodesPerRequest)
            {
                // BEP 52 runs are a power of two aligned to their length; the last covers the padding
                // up to one (as libtorrent asks). Proof layers up to just below the root: every uncle.
                int count = Math.Min(NodesPerRequest, (int)MerkleTree.RoundUpToPowerOfTwo(Pieces - index));
                Runs.Add(new Run(new HashRequest(file.PiecesRoot, pieceHeight, index, count, height - 1)));
            }
        }

        public FileEntry File { get; }

        public int Pieces { get; }

        public byte[] Layer { get; }

        public List<Run> Runs { get; } = [];
    }

    private sealed class Run(HashRequest request)
    {
        public HashRequest Request { get; } = request;

        public int? Peer { get; set; }

        public DateTimeOffset Sent { get; set; }

        public bool Done { get; set; }

        public Dictionary<int, DateTimeOffset> Refused { get; } = [];
    }
}
