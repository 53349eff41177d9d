using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Cli;

/// <summary>Random files and a .torrent of them, for the check, seed and download tests.</summary>
internal static class CliContent
{
    /// <summary>Writes <c>pack/a.bin</c> (200,000 bytes), <c>pack/sub/b.bin</c> (70,000) and <c>pack/c.txt</c> under <paramref name="saveFolder"/> and writes <c>pack.torrent</c> next to it.</summary>
    public static async Task<(string TorrentPath, TorrentInfo Torrent)> CreateAsync(TempFolder temp, string saveFolder, TorrentVersion version = TorrentVersion.V1)
    {
        var random = new Random(7);
        foreach (var (path, length) in new[] { ("pack/a.bin", 200_000), ("pack/sub/b.bin", 70_000), ("pack/c.txt", 33) })
        {
            var data = new byte[length];
            random.NextBytes(data);
            temp.WriteFile(Path.Combine(saveFolder, path), data);
        }

        string torrentPath = temp.Combine("pack.torrent");
        var torrent = await TorrentCreator.CreateFileAsync(
            temp.Combine(saveFolder, "pack"), torrentPath, new TorrentCreatorOptions { PieceLength = 16384, Version = version });
        return (torrentPath, torrent);
    }
}
