using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;
using GodotTorrent.Session.Settings;
using GodotTorrent.Storage;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Session;

/// <summary>
/// Session state (settings, IP filter, torrents with their resume data, in queue order) saved to
/// bytes or a file and loaded into a new session; and the resume folder written on a timer.
/// </summary>
public sealed partial class TorrentSession
{
    /// <summary>The session state format version written by <see cref="SaveStateAsync(CancellationToken)"/>.</summary>
    public const int StateVersion = 1;

    internal const string StateMagic = "godot-torrent-session";
    private DateTimeOffset _lastResumeFolderSave;

    /// <summary>
    /// Captures the session's state as bencoded bytes: every <see cref="SessionSettings"/> field
    /// but <see cref="SessionSettings.IpFilter"/> (its rules are kept separately), the IP filter
    /// rules, and every torrent in queue order with its save path, paused and auto-managed
    /// flags, sequential mode, rate limits and resume data (verified pieces, partial pieces, file
    /// priorities, file states, totals, and the torrent's info dictionary so no .torrent file is
    /// needed). A magnet link still fetching its metadata is kept as its link. The "dht" entry
    /// holds the DHT's node ids and good nodes. Restore with <see cref="LoadStateAsync(byte[], TorrentSessionOptions?, CancellationToken)"/>.
    /// </summary>
    public Task<byte[]> SaveStateAsync(CancellationToken cancellationToken = default) =>
        Loop.InvokeAsync(() => SessionStateEncoder.EncodeAsync(_queue.Order.Where(t => !t.IsRemoved).ToList(), Settings, Dht.SaveState()))
            .WaitAsync(cancellationToken);

    /// <summary>Saves the session's state to a file atomically (temporary file, then rename).</summary>
    /// <exception cref="StorageException">The file could not be written.</exception>
    public async Task SaveStateToFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = await SaveStateAsync(cancellationToken).ConfigureAwait(false);
        await ResumeDataStore.WriteAtomicAsync(path, bytes, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates and starts a session from state saved by <see cref="SaveStateAsync(CancellationToken)"/>:
    /// its settings and IP filter, and its torrents in their queue order, each added with its
    /// resume data (validated against the files: verified pieces are trusted only while the
    /// files are unchanged) and its paused and auto-managed flags.
    /// </summary>
    /// <exception cref="TorrentException">The state is corrupt or of an unknown version (<see cref="ErrorCode.InvalidSessionState"/>).</exception>
    public static Task<TorrentSession> LoadStateAsync(byte[] state, TorrentSessionOptions? options = null, CancellationToken cancellationToken = default) =>
        SessionStateLoader.LoadAsync(state, settings => settings, options, cancellationToken);

    /// <summary>Loads session state from a file written by <see cref="SaveStateToFileAsync(string, CancellationToken)"/>.</summary>
    /// <exception cref="TorrentException">The file is corrupt (<see cref="ErrorCode.InvalidSessionState"/>) or cannot be read (<see cref="ErrorCode.StorageIo"/>).</exception>
    public static async Task<TorrentSession> LoadStateFromFileAsync(string path, TorrentSessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TorrentException(ErrorCode.StorageIo, $"Reading session state from {path} failed: {e.Message}", e);
        }

        return await LoadStateAsync(bytes, options, cancellationToken).ConfigureAwait(false);
    }

    private void ResumeFolderTick(DateTimeOffset now)
    {
        if (Options.ResumeDataFolder is null)
        {
            return;
        }

        if (_lastResumeFolderSave == default)
        {
            _lastResumeFolderSave = now;
        }
        else if (now - _lastResumeFolderSave >= Settings.ResumeDataInterval)
        {
            _lastResumeFolderSave = now;
            _ = SaveResumeFolderAsync(onlyChanged: true);
        }
    }

    private Task SaveResumeFolderAsync(bool onlyChanged) => Options.ResumeDataFolder is { } folder
        ? ResumeFolderWriter.SaveAsync(_torrents.ToList(), folder, onlyChanged, Alerts, _logger, Time, StopDeadline)
        : Task.CompletedTask;
}
