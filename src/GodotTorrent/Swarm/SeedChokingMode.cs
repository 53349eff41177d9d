namespace GodotTorrent.Swarm;

/// <summary>How the <see cref="Choker"/> picks whom to unchoke once we are seeding (nothing to download).</summary>
internal enum SeedChokingMode
{
    /// <summary>The peers we upload to fastest: the pieces spread quickest (libtorrent's fastest_upload).</summary>
    FastestUpload,

    /// <summary>Every interested peer in turn, the regular slots moving on at each evaluation: fair, rate-blind.</summary>
    RoundRobin,
}
