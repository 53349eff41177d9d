using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Torrent;

/// <summary>Time counters, web seeds, whole-torrent piece priorities and performance warnings.</summary>
internal sealed partial class TorrentRuntime
{
    private readonly TorrentActivity _activity = new();
    private PerformanceWarnings? _performanceWarnings;
    private WebSeedList? _webSeeds;

    private WebSeedList WebSeeds => _webSeeds ??=
        new((Torrent?.WebSeeds ?? []).Concat(_params.Magnet?.WebSeeds ?? []).Concat(_params.ResumeData?.WebSeeds ?? []));

    /// <summary>Called once a second by <see cref="Tick"/>.</summary>
    private void ActivityTick(DateTimeOffset now, TimeSpan elapsed) =>
        _activity.Tick(now, elapsed, Phase.IsRunning(), IsSeeding, _download.Total, _upload.Total);

    public IReadOnlyList<string> GetWebSeeds() => WebSeeds.ToList();

    public void AddWebSeed(string url) => WebSeeds.Add(url);

    public bool RemoveWebSeed(string url) => WebSeeds.Remove(url);

    public IReadOnlyList<Priority> GetPiecePriorities() =>
        _picker is null ? [] : Enumerable.Range(0, _picker.PieceCount).Select(p => (Priority)_picker.GetPiecePriority(p)).ToList();

    public void SetPiecePriorities(IReadOnlyList<Priority> priorities)
    {
        if (_picker is null || priorities.Count != _picker.PieceCount || priorities.Any(p => !Enum.IsDefined(p)))
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"Give one priority from 0 to 7 for each of the {_picker?.PieceCount ?? 0} pieces.");
        }

        for (int piece = 0; piece < priorities.Count; piece++)
        {
            _picker.SetPiecePriority(piece, (int)priorities[piece]);
        }

        UpdateCompletionState(announce: true);
        foreach (var peer in _peers.Values)
        {
            UpdateInterest(peer);
            Refill(peer);
        }
    }

    private void WarnPerformance(string warning) =>
        (_performanceWarnings ??= new(_session.Time, w => _session.Alerts.Post(new PerformanceWarningAlert(Handle, w)))).Warn(warning);
}
