namespace GodotTorrent.Metainfo;

/// <summary>
/// The info-hashes that identify a torrent: v1 (SHA-1), v2 (SHA-256, BEP 52) or both for a
/// hybrid torrent. At least one is present.
/// </summary>
public sealed record InfoHashes
{
    /// <summary>Creates the pair; at least one hash must be given, each of its own version.</summary>
    public InfoHashes(InfoHash? v1, InfoHash? v2)
    {
        if (v1 is null && v2 is null)
        {
            throw new ArgumentException("A torrent has at least one info-hash.");
        }

        if (v1 is not null && v1.Version != 1)
        {
            throw new ArgumentException("The v1 info-hash must be a SHA-1 hash.", nameof(v1));
        }

        if (v2 is not null && v2.Version != 2)
        {
            throw new ArgumentException("The v2 info-hash must be a SHA-256 hash.", nameof(v2));
        }

        V1 = v1;
        V2 = v2;
    }

    /// <summary>The SHA-1 info-hash, when the torrent has v1 metadata.</summary>
    public InfoHash? V1 { get; }

    /// <summary>The SHA-256 info-hash, when the torrent has v2 metadata.</summary>
    public InfoHash? V2 { get; }

    /// <summary>True when both hashes are present (a hybrid torrent).</summary>
    public bool IsHybrid => V1 is not null && V2 is not null;

    /// <summary>The hash used to identify the torrent: v1 when present, as most swarms and tools do, else v2.</summary>
    public InfoHash Primary => V1 ?? V2!;

    /// <summary>True when either hash of this pair equals either hash of <paramref name="other"/>.</summary>
    public bool Matches(InfoHashes other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return (V1 is not null && V1 == other.V1) || (V2 is not null && V2 == other.V2);
    }

    /// <summary>The hex of each hash present, v1 first.</summary>
    public override string ToString() => V1 is not null && V2 is not null ? $"{V1} / {V2}" : Primary.ToHex();
}
