namespace GodotTorrent.Session;

/// <summary>Which seeding goal stopped a complete torrent (see <see cref="SessionSettings.ShareRatioLimit"/> and <see cref="SessionSettings.SeedTimeLimit"/>).</summary>
public enum SeedGoal
{
    /// <summary>Uploaded bytes over the larger of downloaded bytes and the torrent's size reached the share ratio limit.</summary>
    ShareRatio,

    /// <summary>The time spent seeding (running and complete) reached the seed time limit; a limit of zero stops at completion.</summary>
    SeedTime,
}
