#nullable enable
using System;
using System.Threading.Tasks;
using Godot;
using GodotTorrent.Integration;
using GodotTorrent.Session;

namespace GodotTorrent.Addon;

/// <summary>
/// A torrent in a <see cref="TorrentSessionNode"/>, for GDScript, as the node's add methods return
/// it: at once, while the torrent is being added in the background (<c>Added</c> is emitted once it
/// is in the session; a failure is reported by the node's <c>OperationFailed</c> signal). Commands
/// given before that wait for it. Commands run in the background; a failure is reported by the
/// node's <c>OperationFailed</c> signal. C# code can use <see cref="Handle"/> and await its methods instead.
/// </summary>
[GlobalClass]
public partial class GdTorrentHandle : RefCounted
{
    private readonly TorrentSessionNode? _node;
    private readonly Task<TorrentHandle>? _added;
    private readonly string _expectedKey = string.Empty;
    private readonly string _expectedName = string.Empty;

    /// <summary>Needed by Godot; a handle to nothing.</summary>
    public GdTorrentHandle()
    {
    }

    internal GdTorrentHandle(TorrentHandle handle, TorrentSessionNode node)
    {
        Handle = handle;
        _node = node;
        _added = Task.FromResult(handle);
    }

    // A torrent being added: known by the info-hash and name its file or magnet gives (a channel magnet has none yet).
    internal GdTorrentHandle(TorrentSessionNode node, string expectedKey, string expectedName, Task<TorrentHandle> added)
    {
        _node = node;
        _expectedKey = expectedKey;
        _expectedName = expectedName;
        _added = added;
    }

    /// <summary>Emitted once the torrent is in the session.</summary>
    [Signal]
    public delegate void AddedEventHandler();

    /// <summary>Emitted by <see cref="RequestPeers"/> with a <see cref="GdPeerInfo"/> per connected peer.</summary>
    [Signal]
    public delegate void PeersReceivedEventHandler(global::Godot.Collections.Array<GdPeerInfo> peers);

    /// <summary>Emitted by <see cref="ReadPiece"/> with the piece's bytes.</summary>
    [Signal]
    public delegate void PieceReadEventHandler(int pieceIndex, byte[] data);

    /// <summary>The library's handle (C#); null until the torrent is in the session.</summary>
    public TorrentHandle? Handle { get; private set; }

    /// <summary>The primary info-hash in lowercase hex, the key signals use (empty for a channel still being resolved).</summary>
    public string InfoHash => Handle is null ? _expectedKey : VariantSnapshots.Key(Handle.InfoHashes);

    /// <summary>The torrent's name.</summary>
    public string Name => Handle?.Name ?? _expectedName;

    /// <summary>True once the torrent is in the session (see <c>Added</c>).</summary>
    public bool IsAdded => Handle is not null;

    /// <summary>False once the torrent was removed.</summary>
    public bool IsValid => Handle?.IsValid ?? false;

    /// <summary>The latest status snapshot (never blocks).</summary>
    public GdTorrentStatus GetStatus() => Handle is null ? new GdTorrentStatus() : new GdTorrentStatus(Handle.Status);

    /// <summary>The connected peers as last seen (refreshed with the status; never blocks).</summary>
    public global::Godot.Collections.Array<GdPeerInfo> GetPeers()
    {
        var result = new global::Godot.Collections.Array<GdPeerInfo>();
        if (_node is not null && Handle is not null)
        {
            foreach (var peer in _node.CachedPeers(InfoHash))
            {
                result.Add(new GdPeerInfo(peer));
            }
        }

        return result;
    }

    /// <summary>The metadata, or null while a magnet link's metadata is being fetched.</summary>
    public GdTorrentInfo? GetInfo() => Handle?.TorrentInfo is { } info ? new GdTorrentInfo(info) : null;

    /// <summary>Pauses the torrent.</summary>
    public void Pause() => Run("pause", h => h.PauseAsync());

    /// <summary>Resumes the torrent.</summary>
    public void Resume() => Run("resume", h => h.ResumeAsync());

    /// <summary>Checks the data on disk again.</summary>
    public void ForceRecheck() => Run("force_recheck", h => h.ForceRecheckAsync());

    /// <summary>Sets a file's priority: 0 = skip, 1-7 = lowest to top (4 = normal).</summary>
    public void SetFilePriority(int fileIndex, int priority) =>
        Run("set_file_priority", h => h.SetFilePriorityAsync(fileIndex, (Priority)priority));

    /// <summary>Downloads in order (for streaming) when true.</summary>
    public void SetSequentialDownload(bool sequential) => Run("set_sequential_download", h => h.SetSequentialDownloadAsync(sequential));

    /// <summary>Renames a file (a path relative to the save folder); the node's rename signals report the outcome.</summary>
    public void RenameFile(int fileIndex, string newPath) => Run("rename_file", h => h.RenameFileAsync(fileIndex, newPath));

    /// <summary>Moves the torrent's files to another folder (<c>user://</c> paths work); the node's move signals report the outcome.</summary>
    public void MoveStorage(string newSavePath)
    {
        if (_node is not null)
        {
            string resolved = _node.ResolveSavePath(newSavePath);
            Run("move_storage", h => h.MoveStorageAsync(resolved));
        }
        else
        {
            Run("move_storage", h => h.MoveStorageAsync(newSavePath));
        }
    }

    /// <summary>Clears an error: the data is checked again and the torrent resumes unless the user paused it.</summary>
    public void ClearError() => Run("clear_error", h => h.ClearErrorAsync());

    /// <summary>Writes everything received to disk now.</summary>
    public void Flush() => Run("flush", h => h.FlushAsync());

    /// <summary>Upload-only mode: request nothing new, keep serving verified pieces.</summary>
    public void SetUploadOnly(bool uploadOnly) => Run("set_upload_only", h => h.SetUploadOnlyAsync(uploadOnly));

    /// <summary>Limits this torrent's connections (0 = the session's limit).</summary>
    public void SetMaxConnections(int maxConnections) => Run("set_max_connections", h => h.SetMaxConnectionsAsync(maxConnections));

    /// <summary>Reads a verified piece; its bytes arrive with <c>PieceRead</c> (a failure with the node's <c>OperationFailed</c>).</summary>
    public void ReadPiece(int pieceIndex) => Run("read_piece", async h =>
    {
        var data = await h.ReadPieceAsync(pieceIndex).ConfigureAwait(true);
        EmitSignal(SignalName.PieceRead, pieceIndex, data.ToArray());
    });

    /// <summary>Asks for the connected peers; they arrive with <c>PeersReceived</c>.</summary>
    public void RequestPeers() => Run("request_peers", async h =>
    {
        var peers = await h.GetPeersAsync().ConfigureAwait(true);
        var result = new global::Godot.Collections.Array<GdPeerInfo>();
        foreach (var peer in peers)
        {
            result.Add(new GdPeerInfo(peer));
        }

        EmitSignal(SignalName.PeersReceived, result);
    });

    internal void Bind(TorrentHandle handle)
    {
        if (Handle is null)
        {
            Handle = handle;
            EmitSignal(SignalName.Added);
        }
    }

    private void Run(string operation, Func<TorrentHandle, Task> work)
    {
        if (_added is null || _node is null)
        {
            GD.PushError($"Godot-Torrent: {operation} on an empty handle.");
            return;
        }

        var added = _added;
        _node.RunInBackground(operation, async () => await work(await added.ConfigureAwait(true)).ConfigureAwait(true));
    }
}
