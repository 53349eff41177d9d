namespace GodotTorrent.Metainfo;

/// <summary>One file on disk that <see cref="TorrentCreator"/> puts into a torrent, with its place in the piece space.</summary>
internal sealed class CreatorFile(string fullPath, byte[][]? components, long length, bool executable)
{
    /// <summary>Where to read the bytes.</summary>
    public string FullPath { get; } = fullPath;

    /// <summary>The UTF-8 path components below the torrent's folder; null for a single-file torrent.</summary>
    public byte[][]? Components { get; } = components;

    public long Length { get; } = length;

    public bool Executable { get; } = executable;

    /// <summary>Start in the piece space (v2 and hybrid: always on a piece boundary).</summary>
    public long Offset { get; set; }

    /// <summary>Bytes of zeros after the file: a BEP 47 pad entry in hybrid torrents.</summary>
    public long PadAfter { get; set; }

    /// <summary>
    /// v2 and hybrid: the file's piece layer, or for a file of at most one piece its pieces root
    /// (empty for an empty file); filled by the hashing workers.
    /// </summary>
    public byte[]? PieceNodes { get; set; }

    public long End => Offset + Length;

    /// <summary>The components joined with '/', the v1 sort key.</summary>
    public byte[] JoinedPath => _joinedPath ??= Join(Components ?? []);

    private byte[]? _joinedPath;

    private static byte[] Join(byte[][] components)
    {
        var joined = new byte[Math.Max(0, components.Sum(c => c.Length) + components.Length - 1)];
        int at = 0;
        foreach (var c in components)
        {
            if (at > 0)
            {
                joined[at++] = (byte)'/';
            }

            c.CopyTo(joined, at);
            at += c.Length;
        }

        return joined;
    }
}
