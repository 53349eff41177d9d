using GodotTorrent.Metainfo;
using GodotTorrent.Tests.Metainfo;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// A torrent of several files and its piece space (every file's bytes at its offset, pad files as
/// zeros), for simulated tests of file priorities, picking order and magnets: what a seed's
/// <see cref="SimDisk"/> is preloaded with and what a downloader must end up holding.
/// </summary>
internal sealed record SimContent(TorrentInfo Torrent, byte[] PieceSpace)
{
    /// <summary>A v1 torrent named <paramref name="name"/> of random files, built in memory.</summary>
    public static SimContent Create(string name, IReadOnlyList<(string Path, int Length)> files, int pieceLength = 32768, int seed = 1)
    {
        var info = TorrentFiles.MultiFileInfo(name, [.. files.Select(f => (f.Path.Split('/'), f.Length))], pieceLength, seed);
        return new SimContent(TorrentInfo.Parse(TorrentFiles.Torrent(info)), TorrentFiles.Content(files.Sum(f => f.Length), seed));
    }

    /// <summary>
    /// A torrent of any <paramref name="version"/> (v2 and hybrid need the creator's merkle trees and
    /// pad files): the files are written to a temporary folder only to create it, then deleted.
    /// </summary>
    public static async Task<SimContent> CreateAsync(string name, IReadOnlyList<(string Path, int Length)> files, TorrentVersion version, int pieceLength = 32768, int seed = 1)
    {
        var root = Path.Combine(Path.GetTempPath(), "gt-simcontent-" + Guid.NewGuid().ToString("N"));
        try
        {
            var random = new Random(seed);
            var bytes = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (path, length) in files)
            {
                var data = new byte[length];
                random.NextBytes(data);
                var full = Path.Combine(root, name, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                await File.WriteAllBytesAsync(full, data);
                bytes[name + "/" + path] = data;
            }

            var torrent = await TorrentCreator.CreateAsync(Path.Combine(root, name), new TorrentCreatorOptions { PieceLength = pieceLength, Version = version });
            var space = new byte[torrent.Files.Max(f => f.Offset + f.Length)];
            foreach (var file in torrent.Files.Where(f => !f.IsPad))
            {
                bytes[file.OriginalPath].CopyTo(space, file.Offset);
            }

            return new SimContent(torrent, space);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The bytes <paramref name="file"/> must hold.</summary>
    public byte[] Bytes(FileEntry file) => PieceSpace.AsSpan(checked((int)file.Offset), checked((int)file.Length)).ToArray();
}
