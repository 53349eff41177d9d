namespace GodotTorrent.WebSeeds;

/// <summary>
/// One part of a run of the torrent's bytes: <paramref name="Length"/> bytes at
/// <paramref name="FileOffset"/> of the file at <paramref name="Url"/> (one ranged GET), or, with no
/// URL, bytes that are zeros by definition (pad files, BEP 47) and are never requested.
/// </summary>
/// <param name="Url">The file's URL, or null for zeros.</param>
/// <param name="FileOffset">Where the bytes start in the file.</param>
/// <param name="Length">How many bytes.</param>
/// <param name="FileLength">The whole file's length (a 200 reply is only good for a range covering all of it).</param>
internal readonly record struct WebSeedSegment(string? Url, long FileOffset, long Length, long FileLength)
{
    /// <summary>True for bytes filled with zeros locally.</summary>
    public bool IsZeros => Url is null;

    /// <summary>True when the range is the whole file.</summary>
    public bool IsWholeFile => FileOffset == 0 && Length == FileLength;
}
