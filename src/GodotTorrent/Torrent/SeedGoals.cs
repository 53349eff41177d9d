using GodotTorrent.Session;
using GodotTorrent.Storage;

namespace GodotTorrent.Torrent;

/// <summary>
/// A torrent's seeding goals, as libtorrent's <c>share_ratio_limit</c> and <c>seed_time_limit</c>:
/// a complete torrent stops seeding once its share ratio or its seeding time reaches a limit. The
/// torrent's own limits (<see cref="AddTorrentParams"/>, the handle) win over the session's; a
/// negative limit is none. The seeding time counts only while the torrent runs complete, and it
/// survives restarts with the limits and the reached flag in resume data. Engine loop only.
/// </summary>
internal sealed class SeedGoals
{
    public SeedGoals(AddTorrentParams parameters)
    {
        var resume = parameters.ResumeData;
        ShareRatioLimit = parameters.ShareRatioLimit ?? resume?.ShareRatioLimit;
        SeedTimeLimit = parameters.SeedTimeLimit ?? resume?.SeedTimeLimit;
        SeedingTime = resume?.SeedingTime ?? TimeSpan.Zero;
        Reached = resume?.SeedGoalReached ?? false;
    }

    /// <summary>The torrent's own share ratio limit in percent, or null for the session's.</summary>
    public int? ShareRatioLimit { get; private set; }

    /// <summary>The torrent's own seed time limit, or null for the session's.</summary>
    public TimeSpan? SeedTimeLimit { get; private set; }

    /// <summary>Time spent running complete, over the torrent's life.</summary>
    public TimeSpan SeedingTime { get; private set; }

    /// <summary>
    /// True once a goal stopped the torrent. Goals are not checked again while it is set: a torrent
    /// the app resumes by hand would otherwise pause again at once (its ratio is still over the
    /// limit), so resuming means "seed on"; new limits clear it.
    /// </summary>
    public bool Reached { get; private set; }

    /// <summary>What the resume-folder writer compares: a change of limits or of the flag, or of the seeding time while a time limit applies.</summary>
    public (int?, TimeSpan?, bool, TimeSpan) Fingerprint(SessionSettings settings) =>
        (ShareRatioLimit, SeedTimeLimit, Reached, EffectiveTimeLimit(settings) >= TimeSpan.Zero ? SeedingTime : TimeSpan.Zero);

    /// <summary>Sets the torrent's own limits (null: the session's) and arms the goals again.</summary>
    public void Set(int? shareRatioLimit, TimeSpan? seedTimeLimit)
    {
        ShareRatioLimit = shareRatioLimit;
        SeedTimeLimit = seedTimeLimit;
        Reached = false;
    }

    /// <summary>
    /// Counts <paramref name="elapsed"/> when <paramref name="seeding"/> (running and complete) and
    /// returns the goal met now, or null. Totals are over the torrent's life.
    /// </summary>
    public SeedGoal? Tick(TimeSpan elapsed, bool seeding, long uploaded, long downloaded, long size, SessionSettings settings)
    {
        if (!seeding)
        {
            return null;
        }

        SeedingTime += elapsed;
        if (Reached)
        {
            return null;
        }

        SeedGoal? goal = null;
        int ratioLimit = ShareRatioLimit ?? settings.ShareRatioLimit;
        if (ratioLimit >= 0 && RatioMet(uploaded, downloaded, size, ratioLimit))
        {
            goal = SeedGoal.ShareRatio;
        }
        else if (EffectiveTimeLimit(settings) is var timeLimit && timeLimit >= TimeSpan.Zero && SeedingTime >= timeLimit)
        {
            goal = SeedGoal.SeedTime;
        }

        Reached = goal is not null;
        return goal;
    }

    /// <summary>Adds the goals' state to resume data.</summary>
    public ResumeData AddTo(ResumeData data) => data with
    {
        SeedingTime = SeedingTime,
        ShareRatioLimit = ShareRatioLimit,
        SeedTimeLimit = SeedTimeLimit,
        SeedGoalReached = Reached,
    };

    /// <summary>
    /// Uploaded over the larger of downloaded and the size: libtorrent's rule, so a torrent that
    /// downloaded nothing (the original seed) or little measures against its size.
    /// </summary>
    public static double ShareRatio(long uploaded, long downloaded, long size) =>
        Math.Max(downloaded, size) is var basis and > 0 ? (double)uploaded / basis : 0;

    private static bool RatioMet(long uploaded, long downloaded, long size, int limitPercent)
    {
        long basis = Math.Max(downloaded, size);

        // A torrent of no bytes has no ratio; only a limit of 0 (stop at completion) applies to it.
        return basis <= 0 ? limitPercent == 0 : (Int128)uploaded * 100 >= (Int128)limitPercent * basis;
    }

    private TimeSpan EffectiveTimeLimit(SessionSettings settings) => SeedTimeLimit ?? settings.SeedTimeLimit;
}
