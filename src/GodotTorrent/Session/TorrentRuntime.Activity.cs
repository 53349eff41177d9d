using GodotTorrent.Alerts;
using GodotTorrent.Torrent;

namespace GodotTorrent.Session;

/// <summary>Time counters, web seeds, whole-torrent piece priorities and performance warnings.</summary>
internal sealed partial class TorrentRuntime
{
    private static readonly TimeSpan PerformanceWarningInterval = TimeSpan.FromMinutes(1);

    private readonly TorrentActivity _activity = new();
    private DateTimeOffset _lastPerformanceWarning = DateTimeOffset.MinValue;
    private List<string>? _webSeeds;

    private List<string> WebSeedList => _webSeeds ??=
        [.. (Torrent?.WebSeeds ?? []).Concat(_params.Magnet?.WebSeeds ?? []).Concat(_params.ResumeData?.WebSeeds ?? []).Distinct(StringComparer.Ordinal)];

    /// <summary>Called once a second by <see cref="Tick"/>.</summary>
    private void ActivityTick(DateTimeOffset now, TimeSpan elapsed) =>
        _activity.Tick(now, elapsed, Phase.IsRunning(), IsSeeding, _download.Total, _upload.Total);

    public IReadOnlyList<string> GetWebSeeds() => [.. WebSeedList];

    /// <summary>Adds a BEP 19 web seed URL (kept and saved; downloading from web seeds comes in a later step).</summary>
    public void AddWebSeed(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"A web seed is an http or https URL, not '{url}'.");
        }

        if (!WebSeedList.Contains(url, StringComparer.Ordinal))
        {
            WebSeedList.Add(url);
        }
    }

    public bool RemoveWebSeed(string url) => WebSeedList.Remove(url);

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

    private void WarnPerformance(string warning)
    {
        var now = Now;
        if (now - _lastPerformanceWarning < PerformanceWarningInterval)
        {
            return;
        }

        _lastPerformanceWarning = now;
        _session.Alerts.Post(new PerformanceWarningAlert(Handle, warning));
    }
}
