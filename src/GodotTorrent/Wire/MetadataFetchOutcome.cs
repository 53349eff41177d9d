namespace GodotTorrent.Wire;

/// <summary>What <see cref="MetadataFetcher.OnData"/> did with a piece.</summary>
internal enum MetadataFetchOutcome
{
    /// <summary>Not useful: unsolicited, a duplicate, or the fetch is not running. No penalty.</summary>
    Ignored = 0,

    /// <summary>Stored; more pieces are missing.</summary>
    Accepted,

    /// <summary>The last piece arrived and the info dictionary matches the info-hashes: see <see cref="MetadataFetcher.Metadata"/>.</summary>
    Completed,

    /// <summary>
    /// The assembled dictionary does not match the info-hashes; it was discarded and the fetch
    /// restarted. See <see cref="MetadataFetcher.LastHashFailure"/> for who contributed.
    /// </summary>
    HashMismatch,

    /// <summary>
    /// The peer sent data for a metadata size other than the one it announced (a lie); it is no
    /// longer asked. The engine may disconnect it.
    /// </summary>
    Invalid,
}
