using GodotTorrent.Alerts;

namespace GodotTorrent.Integration;

/// <summary>
/// The table from alert types to signals: each entry names the signal and builds its
/// Variant-friendly arguments. Alerts without an entry are not forwarded as signals (they stay
/// available through <c>PopAlerts</c>). Adding a signal for a new alert type is one
/// <see cref="Add{TAlert}"/> line in <see cref="CreateDefault"/>.
/// </summary>
public sealed class AlertSignalMap
{
    private readonly Dictionary<Type, (string Name, Func<Alert, IReadOnlyList<object?>> Args)> _entries = [];

    /// <summary>The signal names the map can produce, in the order they were added.</summary>
    public IReadOnlyList<string> Names => _names;

    private readonly List<string> _names = [];

    /// <summary>The map every <c>TorrentSessionNode</c> uses (see <see cref="SignalNames"/> for the arguments).</summary>
    public static AlertSignalMap CreateDefault()
    {
        var map = new AlertSignalMap();
        map.Add<TorrentAddedAlert>(SignalNames.TorrentAdded, a => [Hash(a), a.TorrentName]);
        map.Add<TorrentRemovedAlert>(SignalNames.TorrentRemoved, a => [Hash(a), a.TorrentName]);
        map.Add<TorrentPausedAlert>(SignalNames.TorrentPaused, a => [Hash(a)]);
        map.Add<TorrentResumedAlert>(SignalNames.TorrentResumed, a => [Hash(a)]);
        map.Add<StateChangedAlert>(SignalNames.StateChanged, a => [Hash(a), VariantSnapshots.StateName(a.State), VariantSnapshots.StateName(a.PreviousState)]);
        map.Add<TorrentFinishedAlert>(SignalNames.TorrentFinished, a => [Hash(a), a.TorrentName]);
        map.Add<TorrentErrorAlert>(SignalNames.TorrentError, a => [Hash(a), (long)a.Error, a.Reason]);
        map.Add<FileCompletedAlert>(SignalNames.FileCompleted, a => [Hash(a), (long)a.FileIndex, FilePath(a, a.FileIndex)]);
        map.Add<FileErrorAlert>(SignalNames.FileError, a => [Hash(a), (long)a.FileIndex, a.FilePath ?? FilePath(a, a.FileIndex), (long)a.Error, a.Reason]);
        map.Add<PieceFinishedAlert>(SignalNames.PieceFinished, a => [Hash(a), (long)a.PieceIndex]);
        map.Add<HashFailedAlert>(SignalNames.HashFailed, a => [Hash(a), (long)a.PieceIndex]);
        map.Add<PeerConnectedAlert>(SignalNames.PeerConnected, a => [Hash(a), VariantSnapshots.Address(a.EndPoint), a.Client]);
        map.Add<PeerDisconnectedAlert>(SignalNames.PeerDisconnected, a => [Hash(a), VariantSnapshots.Address(a.EndPoint), (long)a.Error, a.Reason]);
        map.Add<PeerErrorAlert>(SignalNames.PeerError, a => [Hash(a), VariantSnapshots.Address(a.EndPoint), (long)a.Error, a.Reason]);
        map.Add<PeerBanAlert>(SignalNames.PeerBanned, a => [Hash(a), VariantSnapshots.Address(a.EndPoint), a.Reason]);
        map.Add<ListenSucceededAlert>(SignalNames.ListenSucceeded, a => [VariantSnapshots.Address(a.EndPoint)]);
        map.Add<ListenFailedAlert>(SignalNames.ListenFailed, a => [$"{a.Address}:{a.Port}", (long)a.ErrorCode, a.Reason]);
        map.Add<AlertsDroppedAlert>(SignalNames.AlertsDropped, a => [(long)a.DroppedCount, a.DroppedByType.ToDictionary(p => p.Key, p => (object?)(long)p.Value)]);
        map.Add<MetadataReceivedAlert>(SignalNames.MetadataReceived, a => [Hash(a), a.TorrentName]);
        map.Add<MetadataFailedAlert>(SignalNames.MetadataFailed, a => [Hash(a), (long)a.Error, a.Reason]);
        map.Add<TrackerErrorAlert>(SignalNames.TrackerError, a => [Hash(a), a.Url, (long)a.Error, a.ErrorMessage]);
        map.Add<TrackerReplyAlert>(SignalNames.TrackerReply, a => [Hash(a), a.Url, (long)a.PeerCount]);
        map.Add<TrackerWarningAlert>(SignalNames.TrackerWarning, a => [Hash(a), a.Url, a.Warning]);
        map.Add<FileRenamedAlert>(SignalNames.FileRenamed, a => [Hash(a), (long)a.FileIndex, a.NewPath]);
        map.Add<StorageMovedAlert>(SignalNames.StorageMoved, a => [Hash(a), a.NewSavePath]);

        // The rest reach Godot through one generic signal: type name, torrent (or ""), text, error code.
        map.AddGeneric<TrackerAnnounceAlert>();
        map.AddGeneric<ScrapeReplyAlert>();
        map.AddGeneric<ScrapeFailedAlert>();
        map.AddGeneric<FileRenameFailedAlert>();
        map.AddGeneric<StorageMovedFailedAlert>();
        map.AddGeneric<SaveResumeDataAlert>();
        map.AddGeneric<SaveResumeDataFailedAlert>();
        map.AddGeneric<ReadPieceAlert>();
        map.AddGeneric<PerformanceWarningAlert>();
        map.AddGeneric<StateUpdateAlert>();
        map.AddGeneric<SessionStatsAlert>();
        map.AddGeneric<PeerBlockedAlert>();
        map.AddGeneric<HandshakeFailedAlert>();
        map.AddGeneric<ExternalIpAlert>();
        map.AddGeneric<DhtBootstrapAlert>();
        map.AddGeneric<DhtReplyAlert>();
        map.AddGeneric<DhtErrorAlert>();
        map.AddGeneric<UrlSeedAlert>();
        map.AddGeneric<DhtAnnounceAlert>();
        map.AddGeneric<DhtGetPeersAlert>();
        map.AddGeneric<DhtPutAlert>();
        map.AddGeneric<DhtImmutableItemAlert>();
        map.AddGeneric<DhtMutableItemAlert>();
        map.AddGeneric<TorrentUpdateAvailableAlert>();
        map.AddGeneric<PortMapAlert>();
        map.AddGeneric<PortMapErrorAlert>();
        map.AddGeneric<SeedGoalReachedAlert>();
        map.AddGeneric<FilesReusedAlert>();
        return map;
    }

    /// <summary>
    /// Maps alerts of type <typeparamref name="TAlert"/> to the generic <see cref="SignalNames.Alert"/>
    /// signal: the alert's type name, its torrent's info-hash (or an empty string), its message and its error code.
    /// </summary>
    public void AddGeneric<TAlert>()
        where TAlert : Alert =>
        Add<TAlert>(SignalNames.Alert, a => [a.TypeName, a is TorrentAlert t ? Hash(t) : string.Empty, a.Message, (long)a.ErrorCode]);

    /// <summary>
    /// Maps alerts of type <typeparamref name="TAlert"/> (exactly that type) to the signal
    /// <paramref name="signalName"/> with the arguments <paramref name="args"/> builds. Replaces an
    /// earlier entry for the same type.
    /// </summary>
    public void Add<TAlert>(string signalName, Func<TAlert, IReadOnlyList<object?>> args)
        where TAlert : Alert
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(signalName);
        ArgumentNullException.ThrowIfNull(args);
        _entries[typeof(TAlert)] = (signalName, alert => args((TAlert)alert));
        if (!_names.Contains(signalName))
        {
            _names.Add(signalName);
        }
    }

    /// <summary>True when alerts of this exact type become a signal.</summary>
    public bool Handles(Type alertType) => _entries.ContainsKey(alertType);

    /// <summary>The signal for <paramref name="alert"/>, or null when its type has no entry.</summary>
    public AlertSignal? Map(Alert alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        return _entries.TryGetValue(alert.GetType(), out var entry) ? new AlertSignal(entry.Name, entry.Args(alert), alert) : null;
    }

    private static string Hash(TorrentAlert alert) => VariantSnapshots.Key(alert.InfoHashes);

    private static string FilePath(TorrentAlert alert, int fileIndex)
    {
        var files = alert.Handle.TorrentInfo?.Files;
        return files is not null && fileIndex >= 0 && fileIndex < files.Count ? files[fileIndex].Path : string.Empty;
    }
}
