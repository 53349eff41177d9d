using GodotTorrent.Session;

namespace GodotTorrent.Integration;

/// <summary>
/// The messages a game sends to the Godot editor's debugger (<c>EngineDebugger.SendMessage</c>)
/// and the editor's debugger plugin reads: plain values only (strings, longs, doubles, lists), as
/// Godot's debugger protocol carries Variants. Reading is lenient: a malformed row is skipped, so a
/// game built with another version of the addon cannot break the editor.
/// </summary>
public static class DebuggerMessages
{
    /// <summary>The capture prefix the editor plugin registers.</summary>
    public const string Prefix = "godot_torrent";

    /// <summary>The message with every torrent of the game's sessions: a list of rows.</summary>
    public const string Torrents = Prefix + ":torrents";

    /// <summary>Most rows sent in one message (a game with more shows the first ones).</summary>
    public const int MaxRows = 500;

    /// <summary>The rows of <paramref name="statuses"/>, each a list: info-hash, name, state, progress, download rate, upload rate, peers.</summary>
    public static IReadOnlyList<object?> Encode(IEnumerable<TorrentStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        return statuses.Take(MaxRows).Select(s => (object?)new List<object?>
        {
            VariantSnapshots.Key(s.InfoHashes), s.Name, s.StateName, s.Progress, s.DownloadRate, s.UploadRate, (long)s.PeerCount,
        }).ToList();
    }

    /// <summary>The rows of a message <see cref="Encode"/> made (after the trip through Godot's Variants).</summary>
    public static IReadOnlyList<DebuggerTorrentRow> Decode(IReadOnlyList<object?> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var rows = new List<DebuggerTorrentRow>();
        foreach (var item in data.Take(MaxRows))
        {
            if (item is IReadOnlyList<object?> { Count: >= 7 } row
                && row[0] is string hash && row[1] is string name && row[2] is string state
                && Number(row[3]) is { } progress && Number(row[4]) is { } down && Number(row[5]) is { } up && Number(row[6]) is { } peers)
            {
                rows.Add(new DebuggerTorrentRow(hash, name, state, progress, (long)down, (long)up, (long)peers));
            }
        }

        return rows;
    }

    private static double? Number(object? value) => value switch
    {
        double d when double.IsFinite(d) => d,
        long l => l,
        int i => i,
        _ => null,
    };
}
