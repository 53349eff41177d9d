namespace GodotTorrent.Bencoding;

/// <summary>
/// A decoded bencoded value (BEP 3). Values read from input remember where they came from
/// (<see cref="SourceOffset"/>, <see cref="SourceLength"/>) so a dictionary's exact bytes,
/// such as a torrent's info dictionary, can be hashed as received.
/// </summary>
internal abstract class BValue
{
    /// <summary>Offset of this value's first byte in the decoded input, or -1 for values built in code.</summary>
    public int SourceOffset { get; internal set; } = -1;

    /// <summary>Number of bytes this value took in the decoded input, or 0 for values built in code.</summary>
    public int SourceLength { get; internal set; }
}
