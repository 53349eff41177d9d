using System.Globalization;
using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// Waits for a torrent's seeding goal: the engine pauses the torrent when one is met (nothing
/// else pauses it in the CLI) and says which in a <see cref="SeedGoalReachedAlert"/>.
/// </summary>
internal sealed class SeedGoalWatch
{
    private static readonly TimeSpan AlertWait = TimeSpan.FromSeconds(2);

    private readonly TaskCompletionSource<SeedGoalReachedAlert> _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="session">The session the torrent is in.</param>
    /// <param name="handle">The torrent whose goal to wait for; null: the first torrent's to reach one.</param>
    public SeedGoalWatch(TorrentSession session, TorrentHandle? handle = null) =>
        session.Alerts.AlertPosted += (_, e) =>
        {
            if (e.Alert is SeedGoalReachedAlert reached && (handle is null || reached.Handle.InfoHashes.Equals(handle.InfoHashes)))
            {
                _reached.TrySetResult(reached);
            }
        };

    /// <summary>The condition a <see cref="TransferWatch"/> waits for: paused by a goal.</summary>
    public static bool IsReached(TorrentStatus status) => status.IsPaused;

    /// <summary>Why seeding stopped, in one line: "seeding goal reached: share ratio 1.52 (seeded 12 s)".</summary>
    public async Task<string> DescribeAsync()
    {
        // The alert is posted just before the pause; the wait only covers a handler still on its way.
        var first = await Task.WhenAny(_reached.Task, Task.Delay(AlertWait)).ConfigureAwait(false);
        if (first != _reached.Task)
        {
            return "seeding goal reached";
        }

        var alert = await _reached.Task.ConfigureAwait(false);
        string goal = alert.Goal == SeedGoal.ShareRatio ? "share ratio" : "seeding time";
        return $"seeding goal reached ({goal}): ratio {alert.ShareRatio.ToString("0.00", CultureInfo.InvariantCulture)}, "
            + $"seeded {alert.SeedingTime.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s";
    }
}
