using System.Text.Json;
using GodotTorrent.Cli.Output;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Storage;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// The torrents a seedbox serves, kept in step with the .torrent files of its folder: a new file
/// is checked (or resumed from the state folder, without hashing) and added, a deleted one's
/// torrent is removed (its data is kept). Used from one task only.
/// </summary>
internal sealed class SeedboxTorrents
{
    private readonly CliConsole _console;
    private readonly TorrentSession _session;
    private readonly string _dataFolder;
    private readonly string _resumeFolder;
    private readonly long _maxUp;
    private readonly bool _json;
    private readonly Dictionary<string, TorrentHandle> _served = new(StringComparer.Ordinal);
    // Files not served and why, with the time they were written: tried again only once rewritten.
    private readonly Dictionary<string, DateTime> _skipped = new(StringComparer.Ordinal);
    private bool _saidTruncated;

    public SeedboxTorrents(CliConsole console, TorrentSession session, string dataFolder, string resumeFolder, long maxUp, bool json)
    {
        _console = console;
        _session = session;
        _dataFolder = dataFolder;
        _resumeFolder = resumeFolder;
        _maxUp = maxUp;
        _json = json;
    }

    public IReadOnlyCollection<TorrentHandle> Handles => _served.Values;

    /// <summary>Adds the torrents of new files and removes those whose file is gone.</summary>
    public async Task SyncAsync(string folder, Action<string>? note, CancellationToken cancellationToken)
    {
        var files = SeedboxFolder.List(folder, out bool truncated);
        if (truncated && !_saidTruncated)
        {
            _saidTruncated = true;
            Say(note, new SeedboxReport("skipped", folder, null, null, false, $"more than {SeedboxFolder.MaxTorrents} torrents: the rest are left out"), $"{folder}: more than {SeedboxFolder.MaxTorrents} torrents; the rest are left out");
        }

        var present = files.ToHashSet(StringComparer.Ordinal);
        foreach (var (path, handle) in _served.Where(e => !present.Contains(e.Key)).ToList())
        {
            _served.Remove(path);
            await _session.RemoveTorrentAsync(handle, RemoveOptions.None, cancellationToken).ConfigureAwait(false);
            File.Delete(ResumePath(handle.InfoHashes));
            Say(note, new SeedboxReport("removed", path, handle.Name, handle.InfoHashes.Primary.ToHex(), false, null), $"Removed {handle.Name} ({Path.GetFileName(path)} was deleted)");
        }

        foreach (string gone in _skipped.Keys.Where(k => !present.Contains(k)).ToList())
        {
            _skipped.Remove(gone);
        }

        foreach (string path in files.Where(f => !_served.ContainsKey(f)))
        {
            DateTime written = File.GetLastWriteTimeUtc(path);
            if (_skipped.TryGetValue(path, out var when) && when == written)
            {
                continue;
            }

            string? why;
            try
            {
                why = await TryAddAsync(path, note, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TorrentException or IOException or UnauthorizedAccessException)
            {
                // One unreadable folder or refused torrent must not stop the others being served.
                why = ex.Message;
            }

            if (why is not null)
            {
                _skipped[path] = written;
                Say(note, new SeedboxReport("skipped", path, null, null, false, why), $"Skipped {Path.GetFileName(path)}: {why}");
            }
        }
    }

    // A FIFO named *.torrent blocks the open until something writes to it, and a device such as
    // /dev/zero never ends: either would stall the whole seedbox, deaf to Ctrl-C. Every torrent
    // has bytes, and these report a size of 0, so the size is checked without opening the file.
    private static bool HasBytes(string path)
    {
        FileSystemInfo? file = new FileInfo(path);
        if (file.LinkTarget is not null)
        {
            file = file.ResolveLinkTarget(returnFinalTarget: true);
        }

        return file is FileInfo { Exists: true, Length: > 0 };
    }

    // Null when added, or why not.
    private async Task<string?> TryAddAsync(string path, Action<string>? note, CancellationToken cancellationToken)
    {
        if (!HasBytes(path))
        {
            return "not a valid torrent (empty, or not a regular file)";
        }

        TorrentInfo torrent;
        try
        {
            torrent = await TorrentInfo.LoadAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TorrentFormatException or IOException or UnauthorizedAccessException)
        {
            return $"not a valid torrent ({ex.Message})";
        }

        if (_served.FirstOrDefault(e => e.Value.InfoHashes.Equals(torrent.InfoHashes)) is { Key: { } other })
        {
            return $"the same torrent as {Path.GetFileName(other)}";
        }

        // Resume data the session wrote in an earlier run: the engine checks it against the files' sizes and times instead of hashing.
        ResumeData? resume = Load(ResumePath(torrent.InfoHashes));
        bool resumed = resume is not null;
        if (resume is null)
        {
            var check = await CheckCommand.CheckAsync(torrent, _dataFolder, null, cancellationToken).ConfigureAwait(false);
            if (!check.AreWantedPiecesValid())
            {
                return $"the data in {_dataFolder} is incomplete ({check.ValidPieces} of {check.TotalPieces} pieces valid); rewrite the .torrent file (touch it) to try again";
            }

            resume = await CheckCommand.ToResumeDataAsync(torrent, _dataFolder, check).ConfigureAwait(false);
        }

        var handle = await _session.AddTorrentAsync(
            new AddTorrentParams { Torrent = torrent, SavePath = _dataFolder, ResumeData = resume, UploadRateLimit = _maxUp },
            cancellationToken).ConfigureAwait(false);
        if (resumed)
        {
            // The engine trusts resume data only for files whose size and time are unchanged and hashes
            // the rest: a file changed since the last run can leave the torrent incomplete, and a seed box
            // serves only complete data, as for a torrent added without resume data.
            var settled = await handle.WaitForAsync(
                s => s.State is not (TorrentState.QueuedForChecking or TorrentState.CheckingFiles or TorrentState.CheckingResumeData),
                cancellationToken).ConfigureAwait(false);
            if (!settled.IsSeeding)
            {
                await _session.RemoveTorrentAsync(handle, RemoveOptions.None, cancellationToken).ConfigureAwait(false);
                File.Delete(ResumePath(torrent.InfoHashes));
                return $"the data in {_dataFolder} changed since the last run ({settled.PiecesDone} of {settled.PieceCount} pieces valid); rewrite the .torrent file (touch it) to try again";
            }
        }

        _served[path] = handle;
        Say(note, new SeedboxReport("added", path, torrent.Name, torrent.InfoHashes.Primary.ToHex(), resumed, null),
            $"Seeding {torrent.Name} ({ByteSize.Format(torrent.TotalSize)}) from {Path.GetFileName(path)}{(resumed ? ", resumed without hashing" : string.Empty)}");
        return null;
    }

    private string ResumePath(InfoHashes hashes) => Path.Combine(_resumeFolder, hashes.Primary.ToHex() + ".resume");

    private static ResumeData? Load(string path)
    {
        try
        {
            return File.Exists(path) && new FileInfo(path).Length <= ResumeDataStore.MaxFileSize ? ResumeDataSerializer.Decode(File.ReadAllBytes(path)) : null;
        }
        catch (Exception ex) when (ex is TorrentException or IOException or UnauthorizedAccessException or FormatException)
        {
            // A torn or foreign file is worth only a check of the data.
            return null;
        }
    }

    private void Say(Action<string>? note, SeedboxReport report, string line)
    {
        if (_json)
        {
            _console.Out.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Lines.SeedboxReport));
            _console.Out.Flush();
        }
        else if (note is not null)
        {
            note(line);
        }
        else
        {
            _console.Error.WriteLine(TerminalText.Printable(line));
        }
    }
}
