using GodotTorrent.Metainfo;

namespace GodotTorrent.WebSeeds;

/// <summary>
/// Turns a run of the torrent's piece space (contiguous blocks, possibly across pieces and files)
/// into the HTTP ranges that fetch it from one web seed: a run across files becomes one range per
/// file; pad files and bytes in no file (v2 alignment) are zeros, never requested; empty files are
/// skipped. File offsets come from the torrent's one layout (<see cref="FileEntry.Offset"/>).
/// </summary>
internal sealed class WebSeedPlanner
{
    private readonly TorrentInfo _torrent;
    private readonly string?[] _urls;

    public WebSeedPlanner(string baseUrl, TorrentInfo torrent)
    {
        _torrent = torrent;
        _urls = new string?[torrent.Files.Count];
        foreach (var file in torrent.Files)
        {
            _urls[file.Index] = file.IsPad || file.Length == 0 ? null : WebSeedUrl.ForFile(baseUrl, torrent, file);
        }
    }

    /// <summary>The ranges for <paramref name="length"/> bytes at piece-space offset <paramref name="start"/>, in order.</summary>
    public List<WebSeedSegment> Plan(long start, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var segments = new List<WebSeedSegment>();
        long end = start + length;
        long position = start;
        var files = _torrent.Files;
        int index = FirstFileEndingAfter(position);
        while (position < end)
        {
            // Skip empty files and files wholly before the position.
            while (index < files.Count && (files[index].Length == 0 || files[index].Offset + files[index].Length <= position))
            {
                index++;
            }

            long nextFile = index < files.Count ? files[index].Offset : long.MaxValue;
            if (position < nextFile)
            {
                // Bytes in no file: the alignment gap after a v2 file, or past the last file.
                long gap = Math.Min(end, nextFile) - position;
                AddZeros(segments, gap);
                position += gap;
                continue;
            }

            var file = files[index];
            long take = Math.Min(end, file.Offset + file.Length) - position;
            if (_urls[file.Index] is { } url)
            {
                segments.Add(new WebSeedSegment(url, position - file.Offset, take, file.Length));
            }
            else
            {
                AddZeros(segments, take);
            }

            position += take;
            index++;
        }

        return segments;
    }

    private static void AddZeros(List<WebSeedSegment> segments, long length)
    {
        if (segments.Count > 0 && segments[^1].IsZeros)
        {
            segments[^1] = segments[^1] with { Length = segments[^1].Length + length };
        }
        else
        {
            segments.Add(new WebSeedSegment(null, 0, length, length));
        }
    }

    private int FirstFileEndingAfter(long position)
    {
        var files = _torrent.Files;
        int lo = 0, hi = files.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (files[mid].Offset + files[mid].Length <= position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
