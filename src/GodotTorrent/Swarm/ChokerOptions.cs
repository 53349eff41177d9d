namespace GodotTorrent.Swarm;

/// <summary>Settings of the <see cref="Choker"/>; the defaults are those of the original client and libtorrent.</summary>
internal sealed record ChokerOptions
{
    /// <summary>Peers unchoked at once, the optimistic slot included. Default 4 (BEP 3's mainline default).</summary>
    public int UploadSlots { get; init; } = 4;

    /// <summary>How often the caller should call <see cref="Choker.Evaluate"/>. Default 10 s.</summary>
    public TimeSpan EvaluationInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an optimistic unchoke lasts before it moves on. Default 30 s.</summary>
    public TimeSpan OptimisticInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Peers connected more recently than this are new and three times as likely to get the optimistic slot. Default 90 s (three rotations).</summary>
    public TimeSpan NewPeerAge { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>The weight of a new peer in the optimistic draw (an old peer weighs 1). Default 3.</summary>
    public int NewPeerWeight { get; init; } = 3;

    /// <summary>The policy while seeding. Default <see cref="SeedChokingMode.FastestUpload"/>.</summary>
    public SeedChokingMode SeedMode { get; init; } = SeedChokingMode.FastestUpload;
}
