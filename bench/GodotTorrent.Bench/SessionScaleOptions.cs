namespace GodotTorrent.Bench;

/// <summary>What <c>session-scale</c> measures: how many torrents, of what size, for how long.</summary>
internal sealed record SessionScaleOptions
{
    public int Torrents { get; init; } = 1000;

    /// <summary>The window over which idle CPU and RSS are measured, after the torrents settle.</summary>
    public int IdleSeconds { get; init; } = 180;

    /// <summary>How many times each single API call is timed.</summary>
    public int Calls { get; init; } = 2000;

    public int FileKiB { get; init; } = 64;

    public int PieceKiB { get; init; } = 16;

    /// <summary>DHT and local service discovery on (resume path only: saved state keeps the preparing session's settings off).</summary>
    public bool Discovery { get; init; }

    /// <summary>resume: resume files added one by one; state: the saved session state loaded; both.</summary>
    public string Path { get; init; } = "both";
}
