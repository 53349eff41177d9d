using GodotTorrent.Metainfo;
using GodotTorrent.Storage;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Reuse;

/// <summary>
/// The files of the earlier versions that are there to copy from, grouped by length (a file is
/// only ever identical to one of the same length). With the files on disk, a version with its
/// torrent gives that torrent's files (each path checked to stay inside the version's folder,
/// links included); a version without one gives every regular file under its folder (links and
/// other reparse points skipped, at most <see cref="MaxScannedFiles"/>). With another storage
/// backend only versions with a torrent count: their storage is opened and kept until disposed.
/// </summary>
internal sealed class ReuseSources : IAsyncDisposable
{
    /// <summary>Files taken from one folder scanned without a torrent: a bound on the work a huge folder can cause.</summary>
    public const int MaxScannedFiles = 100_000;

    private readonly Dictionary<long, List<ReuseCandidate>> _byLength = [];
    private readonly List<IPieceStorage> _opened = [];

    public int Count { get; private set; }

    /// <summary>Gathers the candidates of <paramref name="versions"/> (save folder, torrent or null).</summary>
    public static ReuseSources Gather(IReadOnlyList<(string SavePath, TorrentInfo? Torrent)> versions, IPieceStorageFactory? storageFactory, ILogger logger, CancellationToken cancellationToken)
    {
        var sources = new ReuseSources();
        foreach (var (savePath, torrent) in versions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (storageFactory is not null)
                {
                    sources.AddFromStorage(storageFactory, savePath, torrent);
                }
                else if (torrent is not null)
                {
                    sources.AddTorrentFiles(savePath, torrent, logger);
                }
                else
                {
                    sources.AddScannedFiles(savePath, cancellationToken);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or StorageException or ArgumentException)
            {
                logger.LogWarning(ex, "Earlier version in {Folder} cannot be read; nothing is reused from it", savePath);
            }
        }

        return sources;
    }

    /// <summary>The candidates of <paramref name="length"/> bytes, those at <paramref name="preferredPath"/> first.</summary>
    public IEnumerable<ReuseCandidate> OfLength(long length, string preferredPath) =>
        _byLength.TryGetValue(length, out var list)
            ? list.OrderBy(c => string.Equals(c.RelativePath, preferredPath, StringComparison.Ordinal) ? 0 : 1)
            : [];

    public async ValueTask DisposeAsync()
    {
        foreach (var storage in _opened)
        {
            await storage.DisposeAsync().ConfigureAwait(true);
        }
    }

    private void Add(ReuseCandidate candidate)
    {
        if (!_byLength.TryGetValue(candidate.Length, out var list))
        {
            _byLength[candidate.Length] = list = [];
        }

        list.Add(candidate);
        Count++;
    }

    private void AddTorrentFiles(string savePath, TorrentInfo torrent, ILogger logger)
    {
        string root = SafePaths.Root(savePath);
        foreach (var file in torrent.Files.Where(PieceLayout.IsStored))
        {
            string full;
            try
            {
                // Sanitised when parsed; resolved again so no name or planted link reads outside the folder.
                full = SafePaths.Resolve(root, file.Path);
            }
            catch (StorageException ex)
            {
                logger.LogWarning("Earlier version's file {Path} is not reused: {Reason}", file.Path, ex.Message);
                continue;
            }

            var info = new FileInfo(full);
            if (info.Exists && info.Length == file.Length)
            {
                Add(ReuseCandidate.OnDisk(file.Path.Replace('\\', '/'), file.Length, full, torrent, file));
            }
        }
    }

    private void AddScannedFiles(string savePath, CancellationToken cancellationToken)
    {
        string root = SafePaths.Root(savePath);
        if (!Directory.Exists(root))
        {
            return;
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint | FileAttributes.Device,
            MaxRecursionDepth = 64,
        };
        int taken = 0;
        foreach (var info in new DirectoryInfo(root).EnumerateFiles("*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (info.Length == 0 || info.LinkTarget is not null || !SafePaths.IsInside(root, info.FullName))
            {
                continue;
            }

            Add(ReuseCandidate.OnDisk(Path.GetRelativePath(root, info.FullName).Replace('\\', '/'), info.Length, info.FullName));
            if (++taken == MaxScannedFiles)
            {
                return;
            }
        }
    }

    private void AddFromStorage(IPieceStorageFactory factory, string savePath, TorrentInfo? torrent)
    {
        if (torrent is null)
        {
            return;
        }

        var storage = factory.Create(torrent, savePath);
        _opened.Add(storage);
        foreach (var file in torrent.Files.Where(PieceLayout.IsStored))
        {
            var state = storage.GetFileState(file.Index);
            if (state.Exists && state.Length == file.Length)
            {
                Add(ReuseCandidate.InStorage(storage, file));
            }
        }
    }
}
