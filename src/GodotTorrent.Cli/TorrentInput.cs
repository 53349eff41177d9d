using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Cli;

/// <summary>Reads what a command was pointed at: a .torrent file or a magnet link, with errors a person can act on.</summary>
internal static class TorrentInput
{
    /// <summary>True when <paramref name="text"/> is a magnet link rather than a path.</summary>
    public static bool IsMagnet(string text) => text.TrimStart().StartsWith("magnet:", StringComparison.OrdinalIgnoreCase);

    public static MagnetLink ParseMagnet(string text, bool allowWithoutInfoHash = false)
    {
        MagnetLink link;
        try
        {
            link = MagnetLink.Parse(text);
        }
        catch (TorrentFormatException ex)
        {
            throw new CliException($"not a valid magnet link: {ex.Message}", ex);
        }

        // A BEP 46 link's info-hash is whatever the publisher's DHT item says at the time.
        return link.HasInfoHashes || allowWithoutInfoHash
            ? link
            : throw new CliException("this BEP 46 magnet link (xs=urn:btpk:) names no info-hash; finding it needs the DHT (drop --no-dht)");
    }

    /// <summary>What to add for <paramref name="input"/> (a magnet link or a .torrent path), saved in <paramref name="saveFolder"/>.</summary>
    public static async Task<AddTorrentParams> ToAddParamsAsync(string input, string saveFolder, bool allowWithoutInfoHash, CancellationToken cancellationToken) =>
        IsMagnet(input)
            ? new AddTorrentParams { Magnet = ParseMagnet(input, allowWithoutInfoHash), SavePath = saveFolder }
            : new AddTorrentParams { Torrent = await LoadTorrentAsync(input, cancellationToken).ConfigureAwait(false), SavePath = saveFolder };

    /// <summary>Refuses an <c>--out</c> that names a file.</summary>
    /// <exception cref="CliException"><paramref name="folder"/> is a file.</exception>
    public static void EnsureNotAFile(string folder)
    {
        if (File.Exists(folder))
        {
            throw new CliException($"{folder}: is a file; --out takes a folder");
        }
    }

    public static async Task<TorrentInfo> LoadTorrentAsync(string path, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path))
        {
            throw new CliException($"{path}: is a folder, not a .torrent file");
        }

        if (!File.Exists(path))
        {
            // A source that takes several values also swallows a mistyped option: name it as one.
            if (path.StartsWith('-') && path.Length > 1)
            {
                throw new UsageException($"unknown option {path} (see --help)");
            }

            throw new CliException($"{path}: no such file");
        }

        try
        {
            return await TorrentInfo.LoadAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (TorrentFormatException ex)
        {
            throw new CliException($"{path}: not a valid torrent: {ex.Message}", ex);
        }
    }
}
