namespace GodotTorrent.Interop.Harness;

/// <summary>
/// mktorrent 1.1. PieceLengthExponent n gives pieces of 2^n bytes (-l, 15..28, tool default 18).
/// TrackerTiers: each inner list is one -a (URLs joined by ',' share a tier; each further -a is
/// a new tier). WebSeeds go to url-list (-w). NoDate = -d (the tool writes "creation date"
/// unless asked not to). Source (-s) goes into the info dict and so changes the info-hash.
/// mktorrent always writes "created by": "mktorrent 1.1".
/// </summary>
public sealed record MkTorrentOptions(string Path, string OutputPath)
{
    public int PieceLengthExponent { get; init; } = 18;

    public IReadOnlyList<IReadOnlyList<string>> TrackerTiers { get; init; } = [];

    public IReadOnlyList<string> WebSeeds { get; init; } = [];

    public bool Private { get; init; }

    public string? Comment { get; init; }

    public string? Name { get; init; }

    public string? Source { get; init; }

    public bool NoDate { get; init; }

    /// <summary>Hashing threads (-t); 1 by default because the machine is shared.</summary>
    public int Threads { get; init; } = 1;
}
