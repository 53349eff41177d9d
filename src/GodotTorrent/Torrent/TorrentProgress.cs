using GodotTorrent.Metainfo;

namespace GodotTorrent.Torrent;

/// <summary>How much of a torrent is done and wanted, in bytes, counted per file (pad files do not count).</summary>
/// <param name="Done">Verified bytes of every file.</param>
/// <param name="Wanted">Bytes of the files not skipped.</param>
/// <param name="WantedDone">Verified bytes of the files not skipped.</param>
internal readonly record struct TorrentProgress(long Done, long Wanted, long WantedDone)
{
    /// <summary>
    /// The progress from each file's verified bytes and priority. Before the files are known (a
    /// magnet, or a torrent not checked yet) nothing is done and everything is wanted.
    /// </summary>
    public static TorrentProgress Of(TorrentInfo? torrent, long[] fileDone, Priority[] filePriorities)
    {
        if (torrent is null || fileDone.Length != torrent.Files.Count)
        {
            return new TorrentProgress(0, torrent?.TotalSize ?? 0, 0);
        }

        long done = 0, wanted = 0, wantedDone = 0;
        foreach (var file in torrent.Files)
        {
            if (file.IsPad)
            {
                continue;
            }

            done += fileDone[file.Index];
            if (filePriorities[file.Index] != Priority.Skip)
            {
                wanted += file.Length;
                wantedDone += fileDone[file.Index];
            }
        }

        return new TorrentProgress(done, wanted, wantedDone);
    }
}
