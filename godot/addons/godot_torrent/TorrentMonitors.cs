#nullable enable
using System.Collections.Generic;
using Godot;
using GodotTorrent.Integration;
using GodotTorrent.Session;

namespace GodotTorrent.Addon;

/// <summary>
/// What Godot's debugger sees of every running <see cref="TorrentSessionNode"/>: custom monitors in
/// the Monitors tab (download and upload rate, peers, active torrents; summed over the sessions)
/// and, twice a second while the editor debugs the game, the torrent list for the editor's
/// "Torrents" tab. Main thread only (nodes register from their tree callbacks).
/// </summary>
internal static class TorrentMonitors
{
    private const ulong SendIntervalMs = 500;
    private static readonly List<TorrentSessionNode> Nodes = [];
    private static readonly (string Id, System.Func<SessionTotals, double> Value)[] Monitors =
    [
        ("Godot-Torrent/Download (KiB per s)", t => t.DownloadRate / 1024.0),
        ("Godot-Torrent/Upload (KiB per s)", t => t.UploadRate / 1024.0),
        ("Godot-Torrent/Peers", t => t.Peers),
        ("Godot-Torrent/Active torrents", t => t.ActiveTorrents),
    ];

    private static ulong _lastSent;

    public static void Register(TorrentSessionNode node)
    {
        if (Nodes.Contains(node))
        {
            return;
        }

        Nodes.Add(node);
        if (Nodes.Count == 1)
        {
            foreach (var (id, value) in Monitors)
            {
                if (!Performance.HasCustomMonitor(id))
                {
                    Performance.AddCustomMonitor(id, Callable.From(() => value(Totals())));
                }
            }
        }
    }

    public static void Unregister(TorrentSessionNode node)
    {
        if (Nodes.Remove(node) && Nodes.Count == 0)
        {
            foreach (var (id, _) in Monitors)
            {
                if (Performance.HasCustomMonitor(id))
                {
                    Performance.RemoveCustomMonitor(id);
                }
            }
        }
    }

    /// <summary>Sends the torrent list to the editor when it is due (called by every node each frame).</summary>
    public static void Tick()
    {
        ulong now = Time.GetTicksMsec();
        if (now - _lastSent < SendIntervalMs || !EngineDebugger.IsActive())
        {
            return;
        }

        _lastSent = now;
        EngineDebugger.SendMessage(DebuggerMessages.Torrents, VariantConvert.ToArray(DebuggerMessages.Encode(Statuses())));
    }

    private static SessionTotals Totals() => SessionTotals.From(Statuses());

    private static List<TorrentStatus> Statuses()
    {
        var statuses = new List<TorrentStatus>();
        foreach (var node in Nodes)
        {
            statuses.AddRange(node.Statuses());
        }

        return statuses;
    }
}
