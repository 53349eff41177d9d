namespace GodotTorrent;

/// <summary>
/// Download priority of a file or piece, 0..7 as in libtorrent: <see cref="Skip"/> downloads
/// nothing (and a skipped file is never created on disk), <see cref="Normal"/> is the default.
/// </summary>
public enum Priority
{
    /// <summary>Do not download; a skipped file is not created.</summary>
    Skip = 0,
    /// <summary>The lowest priority that still downloads.</summary>
    Lowest = 1,
    /// <summary>Low priority.</summary>
    Low = 2,
    /// <summary>Below normal.</summary>
    BelowNormal = 3,
    /// <summary>The default.</summary>
    Normal = 4,
    /// <summary>Above normal.</summary>
    AboveNormal = 5,
    /// <summary>High priority.</summary>
    High = 6,
    /// <summary>Download before anything else.</summary>
    Top = 7,
}
