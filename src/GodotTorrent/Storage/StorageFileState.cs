namespace GodotTorrent.Storage;

/// <summary>What a storage backend knows about one file, for resume-data validation.</summary>
/// <param name="Exists">True when the file exists in the backend.</param>
/// <param name="Length">Its current length in bytes (0 when it does not exist).</param>
/// <param name="LastWriteTimeUtc">When it was last written, or null when unknown or missing.</param>
public readonly record struct StorageFileState(bool Exists, long Length, DateTimeOffset? LastWriteTimeUtc)
{
    /// <summary>The state of a file that does not exist.</summary>
    public static StorageFileState Missing => default;
}
