namespace GodotTorrent.Swarm;

/// <summary>
/// Decides which peers we upload to (BEP 3 choking). Pure: the caller passes the time and a snapshot of
/// its peers every <see cref="ChokerOptions.EvaluationInterval"/>, and sends choke/unchoke for the
/// difference. Runs on the engine loop only; no locks. Deterministic for a seeded <see cref="Random"/>.
/// </summary>
/// <remarks>
/// <para>Downloading: tit-for-tat. The interested, unsnubbed peers that gave us the most over the last 20 s
/// take the regular slots (one fewer than <see cref="ChokerOptions.UploadSlots"/>); a snubbed peer gives
/// us nothing, so it earns no regular slot. One optimistic slot goes to a random interested peer and moves
/// every <see cref="ChokerOptions.OptimisticInterval"/>, so newcomers get a first piece to trade with and we
/// discover peers faster than our current partners; new peers are three times as likely to win it.</para>
/// <para>Seeding: rates from peers mean nothing, so the regular slots go to the peers we upload to fastest,
/// or rotate round-robin; the optimistic slot stays.</para>
/// <para>Ties in rate keep the peers already unchoked first (no choke/unchoke flapping), then lower id.</para>
/// </remarks>
internal sealed class Choker
{
    private ChokerOptions _options;
    private readonly Random _random;
    private readonly HashSet<int> _unchoked = [];
    private readonly HashSet<int> _regular = [];
    private readonly List<ChokerPeer> _candidates = [];
    private int _optimistic = -1;
    private bool _hasOptimistic;
    private DateTimeOffset _optimisticSince;
    private int _roundRobinNext;

    /// <summary>The slots, intervals and seeding mode; changing them takes effect at the next evaluation.</summary>
    public ChokerOptions Options
    {
        get => _options;
        set => _options = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Creates a choker.</summary>
    /// <param name="options">Slots, intervals and seeding policy; null for the defaults.</param>
    /// <param name="random">Source of the optimistic draw; pass a seeded one in tests.</param>
    public Choker(ChokerOptions? options = null, Random? random = null)
    {
        _options = options ?? new ChokerOptions();
        _random = random ?? new Random();
    }

    /// <summary>The peers unchoked by the last evaluation.</summary>
    public IReadOnlySet<int> Unchoked => _unchoked;

    /// <summary>The peer holding the optimistic slot, or null.</summary>
    public int? OptimisticPeer => _hasOptimistic ? _optimistic : null;

    /// <summary>
    /// Chooses the peers to unchoke now. Peers missing from <paramref name="peers"/> (disconnected) are
    /// forgotten. <paramref name="unchoke"/> is cleared and receives the chosen ids; every other peer is choked.
    /// </summary>
    /// <param name="now">The current time (from the session's TimeProvider).</param>
    /// <param name="peers">Every connected peer of the torrent.</param>
    /// <param name="seeding">True when we have every wanted piece.</param>
    /// <param name="unchoke">Receives the peers to have unchoked.</param>
    public void Evaluate(DateTimeOffset now, ReadOnlySpan<ChokerPeer> peers, bool seeding, List<int> unchoke)
    {
        unchoke.Clear();
        _regular.Clear();
        _candidates.Clear();
        foreach (ChokerPeer peer in peers)
        {
            if (peer.Interested && (seeding || !peer.Snubbed))
            {
                _candidates.Add(peer);
            }
        }

        if (_options.UploadSlots <= 0)
        {
            // 0 = unlimited: everyone interested is served (useful on a LAN or a private swarm).
            foreach (ChokerPeer peer in peers)
            {
                if (peer.Interested)
                {
                    unchoke.Add(peer.Id);
                }
            }

            _hasOptimistic = false;
            Remember(unchoke);
            return;
        }

        int regularSlots = _options.UploadSlots - 1;
        if (seeding && _options.SeedMode == SeedChokingMode.RoundRobin)
        {
            TakeRoundRobin(regularSlots);
        }
        else
        {
            _candidates.Sort((a, b) =>
            {
                int byRate = seeding ? b.UploadRate.CompareTo(a.UploadRate) : b.DownloadRate.CompareTo(a.DownloadRate);
                if (byRate != 0)
                {
                    return byRate;
                }

                int byState = _unchoked.Contains(b.Id).CompareTo(_unchoked.Contains(a.Id));
                return byState != 0 ? byState : a.Id.CompareTo(b.Id);
            });
            for (int i = 0; i < _candidates.Count && _regular.Count < regularSlots; i++)
            {
                _regular.Add(_candidates[i].Id);
            }
        }

        unchoke.AddRange(_regular);
        ChooseOptimistic(now, peers);
        if (_hasOptimistic)
        {
            unchoke.Add(_optimistic);
        }

        Remember(unchoke);
    }

    private void TakeRoundRobin(int regularSlots)
    {
        if (_candidates.Count == 0 || regularSlots <= 0)
        {
            return;
        }

        _candidates.Sort((a, b) => a.Id.CompareTo(b.Id));
        int start = _candidates.FindIndex(p => p.Id >= _roundRobinNext);
        if (start < 0)
        {
            start = 0;
        }

        int take = Math.Min(regularSlots, _candidates.Count);
        int last = start;
        for (int i = 0; i < take; i++)
        {
            last = (start + i) % _candidates.Count;
            _regular.Add(_candidates[last].Id);
        }

        _roundRobinNext = _candidates[last].Id + 1;
    }

    private void ChooseOptimistic(DateTimeOffset now, ReadOnlySpan<ChokerPeer> peers)
    {
        bool keep = false;
        if (_hasOptimistic && now - _optimisticSince < _options.OptimisticInterval && !_regular.Contains(_optimistic))
        {
            foreach (ChokerPeer peer in peers)
            {
                if (peer.Id == _optimistic)
                {
                    keep = peer.Interested;
                    break;
                }
            }
        }

        if (keep)
        {
            return;
        }

        // Weighted draw among interested peers outside the regular slots, the current holder excluded
        // when anyone else qualifies (the slot is meant to move).
        int total = 0;
        int eligible = 0;
        foreach (ChokerPeer peer in peers)
        {
            if (IsOptimisticCandidate(peer))
            {
                eligible++;
                total += Weight(now, peer);
            }
        }

        bool excludeCurrent = _hasOptimistic && eligible > 1;
        if (excludeCurrent)
        {
            foreach (ChokerPeer peer in peers)
            {
                if (peer.Id == _optimistic && IsOptimisticCandidate(peer))
                {
                    total -= Weight(now, peer);
                }
            }
        }

        _hasOptimistic = false;
        if (total <= 0)
        {
            return;
        }

        int draw = _random.Next(total);
        foreach (ChokerPeer peer in peers)
        {
            if (!IsOptimisticCandidate(peer) || (excludeCurrent && peer.Id == _optimistic))
            {
                continue;
            }

            draw -= Weight(now, peer);
            if (draw < 0)
            {
                _optimistic = peer.Id;
                _hasOptimistic = true;
                _optimisticSince = now;
                return;
            }
        }
    }

    private bool IsOptimisticCandidate(ChokerPeer peer) => peer.Interested && !_regular.Contains(peer.Id);

    private int Weight(DateTimeOffset now, ChokerPeer peer) =>
        now - peer.ConnectedAt < _options.NewPeerAge ? Math.Max(1, _options.NewPeerWeight) : 1;

    private void Remember(List<int> unchoke)
    {
        _unchoked.Clear();
        foreach (int id in unchoke)
        {
            _unchoked.Add(id);
        }
    }
}
