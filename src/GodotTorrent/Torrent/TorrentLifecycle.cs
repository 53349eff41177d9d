using GodotTorrent.Session;

namespace GodotTorrent.Torrent;

/// <summary>
/// The one place a torrent moves between phases. It keeps why the torrent is held (paused by the
/// app or by an error, queued, stopped, failed) and derives the <see cref="TorrentPhase"/> from
/// that and from how far the data is (metadata known, files checked). The public
/// <see cref="TorrentState"/> is derived here too, so status and alerts cannot disagree with it.
/// </summary>
internal sealed class TorrentLifecycle
{
    public TorrentLifecycle(bool paused, TorrentState initialState)
    {
        IsPaused = paused;
        State = initialState;
    }

    /// <summary>True while paused: by the app, or because of an error (see <see cref="PausedByError"/>).</summary>
    public bool IsPaused { get; private set; }

    /// <summary>True when the pause came from an error alone, so clearing the error resumes.</summary>
    public bool PausedByError { get; private set; }

    public bool IsQueued { get; private set; }

    public bool IsStopped { get; private set; }

    public ErrorCode Error { get; private set; }

    public string? ErrorMessage { get; private set; }

    public bool HasError => Error != ErrorCode.None;

    /// <summary>The data state (metadata, checking, downloading, seeding, ...) the status shows when there is no error.</summary>
    public TorrentState State { get; private set; }

    /// <summary>The state the app sees: the error wins over the data state.</summary>
    public TorrentState PublicState => HasError ? TorrentState.Error : State;

    /// <summary>True while nothing may be transferred: paused (by the app or an error), or queued.</summary>
    public bool IsHalted => IsPaused || IsQueued;

    /// <summary>The phase, given what is known of the data.</summary>
    public TorrentPhase Phase(bool hasMetadata, bool piecesReady) =>
        IsStopped ? TorrentPhase.Stopped
        : HasError ? TorrentPhase.Error
        : IsPaused ? TorrentPhase.Paused
        : IsQueued ? TorrentPhase.Queued
        : !hasMetadata ? TorrentPhase.Metadata
        : !piecesReady ? TorrentPhase.Checking
        : TorrentPhase.Active;

    /// <summary>Sets the data state; false when it did not change.</summary>
    public bool SetState(TorrentState state, out TorrentState previous)
    {
        previous = State;
        State = state;
        return previous != state;
    }

    /// <summary>The app pauses; false when the torrent was paused already (then an error's pause becomes the app's).</summary>
    public bool Pause()
    {
        if (IsPaused)
        {
            // Paused by an error, now by the user too: clearing the error will not resume it.
            PausedByError = false;
            return false;
        }

        IsPaused = true;
        return true;
    }

    /// <summary>The app resumes; false when it was not paused. Resuming clears an error (reported in <paramref name="hadError"/>).</summary>
    public bool Resume(out bool hadError)
    {
        hadError = false;
        if (!IsPaused)
        {
            return false;
        }

        IsPaused = false;
        if (HasError)
        {
            hadError = true;
            Error = ErrorCode.None;
            ErrorMessage = null;
            PausedByError = false;
        }

        return true;
    }

    /// <summary>The torrent fails and pauses; false when it has an error already (the first one is kept).</summary>
    public bool Fail(ErrorCode code, string message)
    {
        if (HasError)
        {
            return false;
        }

        Error = code;
        ErrorMessage = message;
        PausedByError = !IsPaused;
        IsPaused = true;
        return true;
    }

    /// <summary>Clears the error; false when there was none. <paramref name="resume"/> says the error's pause should end too.</summary>
    public bool ClearError(out bool resume)
    {
        resume = false;
        if (!HasError)
        {
            return false;
        }

        Error = ErrorCode.None;
        ErrorMessage = null;
        resume = PausedByError;
        PausedByError = false;
        return true;
    }

    /// <summary>The queue holds the torrent back or lets it go; false when that was so already.</summary>
    public bool SetQueued(bool queued)
    {
        if (IsQueued == queued)
        {
            return false;
        }

        IsQueued = queued;
        return true;
    }

    /// <summary>Stops for good; false when stopped already.</summary>
    public bool Stop()
    {
        if (IsStopped)
        {
            return false;
        }

        IsStopped = true;
        return true;
    }
}
