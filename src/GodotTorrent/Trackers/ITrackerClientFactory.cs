namespace GodotTorrent.Trackers;

/// <summary>Makes the client for a tracker URL; the seam tests use to put fake trackers in.</summary>
internal interface ITrackerClientFactory
{
    /// <summary>True when <paramref name="uri"/> has a scheme this factory can talk to.</summary>
    bool Supports(Uri uri);

    /// <summary>Creates a client for <paramref name="uri"/>, which <see cref="Supports"/> accepted.</summary>
    ITrackerClient Create(Uri uri);
}
