using System.Globalization;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Output;

/// <summary>The status table of <c>seedbox</c>: a line per torrent and a total, each line fitted to a width.</summary>
internal static class SeedboxTable
{
    // The columns after the name, with their spaces; the name gets the rest, at least enough for the total.
    private const int Numbers = 42;
    private const int MinNameWidth = 12;

    /// <summary>
    /// <c>NAME  SIZE  UP/S  UPLOADED  PEERS  STATE</c> lines, the name column as wide as the
    /// longest name allows within <paramref name="width"/>, then a total line.
    /// </summary>
    public static IReadOnlyList<string> Lines(IReadOnlyList<TorrentStatus> torrents, int width)
    {
        int nameWidth = Math.Clamp(torrents.Count == 0 ? 0 : torrents.Max(t => t.Name.Length), MinNameWidth, Math.Max(width - Numbers - 1, MinNameWidth));
        var lines = new List<string> { Row("NAME", "SIZE", "UP/S", "UPLOADED", "PEERS", "STATE", nameWidth) };
        foreach (var t in torrents)
        {
            lines.Add(Row(
                ProgressText.Truncate(TerminalText.Printable(t.Name), nameWidth), ByteSize.Format(t.TotalWanted), ByteSize.Format(t.UploadRate), ByteSize.Format(t.AllTimeUpload),
                t.PeerCount.ToString(CultureInfo.InvariantCulture), Short(t), nameWidth));
        }

        string count = torrents.Count.ToString(CultureInfo.InvariantCulture) + (torrents.Count == 1 ? " torrent" : " torrents");
        lines.Add(Row(
            ProgressText.Truncate(count, nameWidth), ByteSize.Format(torrents.Sum(t => t.TotalWanted)), ByteSize.Format(torrents.Sum(t => t.UploadRate)),
            ByteSize.Format(torrents.Sum(t => t.AllTimeUpload)), torrents.Sum(t => t.PeerCount).ToString(CultureInfo.InvariantCulture), string.Empty, nameWidth));
        return lines;
    }

    private static string Row(string name, string size, string rate, string uploaded, string peers, string state, int nameWidth) =>
        $"{name.PadRight(nameWidth)} {size,8} {rate,8} {uploaded,8} {peers,5} {state}".TrimEnd();

    // Nine characters at most, so the table keeps its width.
    private static string Short(TorrentStatus status) => status.State switch
    {
        TorrentState.Seeding or TorrentState.Finished => "seeding",
        TorrentState.Downloading => "download",
        TorrentState.Error => "error",
        _ => "checking",
    };
}
