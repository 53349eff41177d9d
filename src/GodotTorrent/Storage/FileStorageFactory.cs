using GodotTorrent.Metainfo;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Storage;

/// <summary>Creates <see cref="FileStorage"/>s: the default storage, files on the local disk.</summary>
public sealed class FileStorageFactory : IPieceStorageFactory
{
    private readonly FileStorageOptions _options;
    private readonly ILogger? _logger;

    /// <summary>Creates the factory.</summary>
    public FileStorageFactory(FileStorageOptions? options = null, ILogger? logger = null)
    {
        _options = options ?? FileStorageOptions.Default;
        _logger = logger;
    }

    /// <inheritdoc/>
    public IPieceStorage Create(TorrentInfo torrent, string savePath) => new FileStorage(torrent, savePath, _options, _logger);
}
