using GodotTorrent.Session;
using GodotTorrent.Storage;

namespace GodotTorrent.Torrent;

/// <summary>What session state and the resume folder need of a torrent.</summary>
internal sealed partial class TorrentRuntime
{
    private (int Pieces, long Down, long Up, bool Paused, Priority[] Priorities)? _lastResumeSave;

    public bool IsSequential => _picker?.Sequential ?? _params.SequentialDownload;

    public long UploadLimit => _uploadBucket.BytesPerSecond;

    public long DownloadLimit => _downloadBucket.BytesPerSecond;

    public Metainfo.MagnetLink? Magnet => _params.Magnet;

    /// <summary>True when resume data can be captured now (metadata known, files checked).</summary>
    public bool CanSaveResumeData => Torrent is not null && _storage is not null && _writer is not null && !_lifecycle.IsStopped;

    /// <summary>True when the torrent changed since its resume data was last written to the resume folder.</summary>
    public bool ResumeDataChanged =>
        _lastResumeSave is not { } last || last.Pieces != _have.SetCount || last.Down != _download.Total || last.Up != _upload.Total
        || last.Paused != _lifecycle.IsPaused || !last.Priorities.AsSpan().SequenceEqual(_filePriorities);

    public void MarkResumeDataSaved() => _lastResumeSave = (_have.SetCount, _download.Total, _upload.Total, _lifecycle.IsPaused, [.. _filePriorities]);

    /// <summary>
    /// Resume data for session state: the full resume data when it can be captured, otherwise
    /// (still checking, or stopped on an error) the torrent with nothing trusted, so a restore
    /// checks the files. Null for a magnet link whose metadata is not known yet.
    /// </summary>
    public async Task<ResumeData?> CaptureStateAsync()
    {
        if (Torrent is null)
        {
            return null;
        }

        if (CanSaveResumeData && !_lifecycle.HasError)
        {
            try
            {
                return (await SaveResumeDataAsync().ConfigureAwait(true)) with { Torrent = Torrent };
            }
            catch (StorageException)
            {
                // Fall through: the files will be checked on restore.
            }
        }

        return new ResumeData
        {
            InfoHashes = InfoHashes,
            SavePath = SavePath,
            Pieces = new Bitfield(Torrent.PieceCount),
            FilePriorities = _filePriorities.Length == Torrent.Files.Count ? [.. _filePriorities] : [],
            AddedTime = _params.ResumeData?.AddedTime ?? AddedTime,
            Torrent = Torrent,
        };
    }
}
