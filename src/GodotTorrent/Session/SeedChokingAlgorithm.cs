namespace GodotTorrent.Session;

/// <summary>How a seeding torrent chooses the peers it uploads to.</summary>
public enum SeedChokingAlgorithm
{
    /// <summary>Unchoke the peers that take data fastest (the most bytes delivered per slot).</summary>
    FastestUpload = 0,
    /// <summary>Rotate the slots so every interested peer gets a turn.</summary>
    RoundRobin = 1,
}
