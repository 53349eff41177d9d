using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Reuse;

/// <summary>One version of a game's content written to a folder, with its torrent: what patch reuse tests copy from and to.</summary>
internal sealed record ReuseVersion(string SaveFolder, TorrentInfo Torrent, IReadOnlyDictionary<string, byte[]> Files)
{
    /// <summary>Random bytes, the same for the same seed.</summary>
    public static byte[] Bytes(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    /// <summary>The same bytes with a few changed in the middle (same length).</summary>
    public static byte[] Changed(byte[] data)
    {
        var copy = (byte[])data.Clone();
        for (int i = copy.Length / 2; i < copy.Length / 2 + 8; i++)
        {
            copy[i] ^= 0x5A;
        }

        return copy;
    }

    /// <summary>Writes <paramref name="files"/> (paths inside the content folder <paramref name="name"/>) under <paramref name="saveFolder"/> and creates their torrent.</summary>
    public static async Task<ReuseVersion> WriteAsync(string saveFolder, string name, IReadOnlyDictionary<string, byte[]> files, TorrentVersion version, int pieceLength)
    {
        foreach (var (path, data) in files)
        {
            var full = Path.Combine(saveFolder, name, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(full, data);
        }

        var torrent = await TorrentCreator.CreateAsync(Path.Combine(saveFolder, name), new TorrentCreatorOptions { PieceLength = pieceLength, Version = version });
        return new ReuseVersion(saveFolder, torrent, files);
    }

    /// <summary>The piece space the torrent describes (pad bytes zero): what a simulated disk is preloaded with.</summary>
    public byte[] PieceSpace()
    {
        var space = new byte[Torrent.PieceSpaceSize];
        foreach (var file in Torrent.Files.Where(f => !f.IsPad && f.Length > 0))
        {
            Files[file.Path[(file.Path.IndexOf('/', StringComparison.Ordinal) + 1)..]].CopyTo(space, file.Offset);
        }

        return space;
    }

    /// <summary>The index of the file at <paramref name="path"/> (inside the content folder).</summary>
    public int IndexOf(string path) => Torrent.Files.Single(f => f.Path == Torrent.Name + "/" + path).Index;
}
