using GodotTorrent.Session;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace GodotTorrent.Integration;

/// <summary>
/// A game's saved session (the Godot addon's autosave): one state file in a folder, holding every
/// torrent with its resume data, so the next launch restores them without hashing their files
/// again. The settings a game starts with win over the saved ones (they come from its project
/// settings); only the saved IP filter is kept. A corrupt or unreadable file is moved aside as
/// <c>session.state.bad</c> and the session starts empty, so a bad file never stops a game.
/// </summary>
public sealed class SessionStateFile
{
    private readonly ILogger _logger;

    /// <summary>A state file named <c>session.state</c> in <paramref name="folder"/> (made when first saved).</summary>
    public SessionStateFile(string folder, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        Folder = folder;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The folder holding the state file.</summary>
    public string Folder { get; }

    /// <summary>The state file's path.</summary>
    public string Path => System.IO.Path.Combine(Folder, "session.state");

    /// <summary>Why the last <see cref="StartAsync"/> could not restore the saved state (it started empty), or null.</summary>
    public TorrentException? LoadError { get; private set; }

    /// <summary>
    /// Starts a session with <paramref name="settings"/>: with the saved torrents when the file
    /// exists and loads, otherwise empty (see <see cref="LoadError"/>).
    /// </summary>
    public async Task<TorrentSession> StartAsync(SessionSettings settings, TorrentSessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        LoadError = null;
        if (File.Exists(Path))
        {
            try
            {
                byte[] state = await File.ReadAllBytesAsync(Path, cancellationToken).ConfigureAwait(false);
                return await SessionStateLoader.LoadAsync(state, saved => settings with { IpFilter = saved.IpFilter }, options, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TorrentException or IOException or UnauthorizedAccessException)
            {
                LoadError = e as TorrentException ?? new TorrentException(ErrorCode.StorageIo, $"Reading session state from {Path} failed: {e.Message}", e);
                _logger.LogWarning(e, "The saved session state {Path} could not be restored; starting without it", Path);
                MoveAside();
            }
        }

        var session = new TorrentSession(settings, options);
        try
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Saves <paramref name="session"/>'s state atomically (temporary file, then rename).</summary>
    /// <exception cref="Storage.StorageException">The file could not be written.</exception>
    public Task SaveAsync(TorrentSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        Directory.CreateDirectory(Folder);
        return session.SaveStateToFileAsync(Path, cancellationToken);
    }

    private void MoveAside()
    {
        try
        {
            File.Move(Path, Path + ".bad", overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(e, "Moving the unusable session state {Path} aside failed", Path);
        }
    }
}
