using GodotTorrent.Storage;

namespace GodotTorrent.Session;

/// <summary>Resume data: what a restart needs so verified data is not checked or downloaded again.</summary>
internal sealed partial class TorrentRuntime
{
    private async Task<ResumeData> CaptureResumeDataAsync()
    {
        if (Torrent is null || _storage is null || _writer is null)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, "A torrent has resume data once its metadata is known and its files are checked.");
        }

        // Blocks still in flight to the disk would be claimed but not on it yet.
        await _writer.WhenIdleAsync().ConfigureAwait(true);
        await _storage.FlushAsync().ConfigureAwait(true);
        return new ResumeData
        {
            InfoHashes = InfoHashes,
            SavePath = SavePath,
            Pieces = _have.Clone(),
            PartialPieces = _writer.GetPartialPieces(),
            FilePriorities = [.. _filePriorities],
            RenamedFiles = RenamedFiles(),
            Files = ResumeDataStore.CaptureFileStates(_storage),
            TotalDownloaded = (_params.ResumeData?.TotalDownloaded ?? 0) + _download.Total,
            TotalUploaded = (_params.ResumeData?.TotalUploaded ?? 0) + _upload.Total,
            Trackers = Torrent.Trackers,
            WebSeeds = GetWebSeeds(),
            AddedTime = _params.ResumeData?.AddedTime ?? AddedTime,
            CompletedTime = _completedTime,
            Torrent = _params.Torrent is null ? Torrent : null,
        };
    }
}
