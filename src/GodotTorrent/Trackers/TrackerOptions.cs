namespace GodotTorrent.Trackers;

/// <summary>
/// How trackers are used and how far their replies are trusted. The defaults suit real
/// trackers; tests shorten the time-outs and retry intervals.
/// </summary>
internal sealed record TrackerOptions
{
    /// <summary>The User-Agent header of HTTP announces (the session's client name).</summary>
    public string UserAgent { get; init; } = "Godot-Torrent/0.1.0";

    /// <summary>How long one HTTP announce or scrape may take, headers and body together.</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Redirects an HTTP tracker may send before it fails (a loop ends here).</summary>
    public int MaxRedirects { get; init; } = 3;

    /// <summary>Largest HTTP reply body read; a bigger one fails without being buffered whole.</summary>
    public int MaxResponseBytes { get; init; } = 2 * 1024 * 1024;

    /// <summary>Most peers taken from one reply; the rest are ignored.</summary>
    public int MaxPeersPerReply { get; init; } = 1000;

    /// <summary>Peers asked for in each announce (<c>numwant</c>).</summary>
    public int NumWant { get; init; } = 200;

    /// <summary>BEP 15's first retry time-out (15 s); attempt n waits this times 2^n.</summary>
    public TimeSpan UdpRetryBase { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>BEP 15's last retry exponent (8): after attempt 2^8 times the base, the request fails.</summary>
    public int UdpMaxRetries { get; init; } = 8;

    /// <summary>How long a UDP connection id stays usable (BEP 15: one minute).</summary>
    public TimeSpan UdpConnectionIdLifetime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The interval used when a tracker gives none.</summary>
    public TimeSpan DefaultInterval { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Tracker intervals below this are raised to it: a hostile or broken tracker cannot make us hammer it.</summary>
    public TimeSpan MinimumInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Tracker intervals above this are lowered to it, so a tracker cannot silence itself for days.</summary>
    public TimeSpan MaximumInterval { get; init; } = TimeSpan.FromHours(6);

    /// <summary>The wait after the first failure in a row; it doubles with each further failure.</summary>
    public TimeSpan FailureRetryBase { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The longest wait between attempts to a failing tracker.</summary>
    public TimeSpan FailureRetryMax { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Announce to the trackers of every tier, not only the first tier that works (BEP 12 says the first).</summary>
    public bool AnnounceToAllTiers { get; init; }

    /// <summary>Announce to every tracker of a tier, not only the first that answers.</summary>
    public bool AnnounceToAllTrackers { get; init; }
}
