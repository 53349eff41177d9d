using System.Globalization;
using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>
/// A complete torrent met a seeding goal and was paused (it keeps its files and stays complete).
/// Resuming it by hand seeds on without the goal stopping it again, until new limits are set
/// with <see cref="TorrentHandle.SetSeedGoalsAsync"/>.
/// </summary>
/// <param name="Handle">The torrent.</param>
/// <param name="Goal">The goal that was met.</param>
/// <param name="ShareRatio">Uploaded bytes over the larger of downloaded bytes and the torrent's size, when the goal was met.</param>
/// <param name="SeedingTime">Time spent seeding over the torrent's life (kept in resume data), when the goal was met.</param>
public sealed record SeedGoalReachedAlert(TorrentHandle Handle, SeedGoal Goal, double ShareRatio, TimeSpan SeedingTime) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "seed_goal_reached";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Status;

    /// <inheritdoc/>
    public override string Message =>
        $"{TorrentName} reached its {(Goal == SeedGoal.ShareRatio ? "share ratio" : "seeding time")} goal "
        + $"(ratio {ShareRatio.ToString("0.00", CultureInfo.InvariantCulture)}, seeded {SeedingTime.TotalSeconds.ToString("0", CultureInfo.InvariantCulture)} s): paused";
}
