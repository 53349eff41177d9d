using System.Globalization;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Output;

/// <summary>
/// The text of a progress row, made to fit a width: a terminal line must not wrap (a wrapped
/// line breaks the redraw), so names are shortened and the less useful details left out.
/// </summary>
internal static class ProgressText
{
    /// <summary>The width of a line when the terminal's is unknown (a pipe, a log): the classic 80 columns.</summary>
    public const int DefaultWidth = 80;

    private const string Ellipsis = "...";

    /// <summary>
    /// The details of a torrent's status in at most <paramref name="width"/> characters:
    /// <c>12 MiB/64 MiB  dn 5 MiB/s  up 0 B/s  2 peers  eta 1m05s</c>. Parts are dropped, least
    /// useful first (web seed bytes, upload rate, peers, download rate), until the rest fits.
    /// </summary>
    public static string Detail(TorrentStatus status, int width)
    {
        string size = status.HasMetadata ? $"{ByteSize.Format(status.TotalWantedDone)}/{ByteSize.Format(status.TotalWanted)}" : "no metadata yet";
        string peers = status.PeerCount.ToString(CultureInfo.InvariantCulture) + (status.PeerCount == 1 ? " peer" : " peers");
        // While downloading the time left says more than the state's name.
        string state = status.Eta is { } eta ? "eta " + Eta(eta) : status.StateName;
        // In display order, each with its rank: the lower, the longer it is kept.
        var parts = new List<(string Text, int Rank)>
        {
            (size, 0),
            ($"dn {ByteSize.Format(status.DownloadRate)}/s", 2),
            ($"up {ByteSize.Format(status.UploadRate)}/s", 4),
            (peers, 3),
        };
        if (status.WebSeedBytesDownloaded > 0)
        {
            parts.Add(($"web {ByteSize.Format(status.WebSeedBytesDownloaded)}", 5));
        }

        parts.Add((state, 1));
        for (int drop = 5; drop > 0 && Length(parts) > width; drop--)
        {
            parts.RemoveAll(p => p.Rank == drop);
        }

        return Truncate(string.Join("  ", parts.Select(p => p.Text)), width);
    }

    /// <summary>A time left, two units at most: <c>45s</c>, <c>12m05s</c>, <c>3h07m</c>, <c>2d04h</c>.</summary>
    public static string Eta(TimeSpan left)
    {
        long seconds = (long)Math.Ceiling(Math.Clamp(left.TotalSeconds, 0, 999 * 86_400));
        var inv = CultureInfo.InvariantCulture;
        return seconds switch
        {
            < 60 => $"{seconds.ToString(inv)}s",
            < 3600 => $"{(seconds / 60).ToString(inv)}m{(seconds % 60).ToString("00", inv)}s",
            < 86_400 => $"{(seconds / 3600).ToString(inv)}h{(seconds % 3600 / 60).ToString("00", inv)}m",
            _ => $"{(seconds / 86_400).ToString(inv)}d{(seconds % 86_400 / 3600).ToString("00", inv)}h",
        };
    }

    /// <summary>
    /// How far a torrent got, for the line that ends a command: <c>3 of 17 pieces (17.6%), 1 peer(s)</c>,
    /// or, before a magnet's metadata arrives, that there is none yet.
    /// </summary>
    public static string Pieces(TorrentStatus status) => !status.HasMetadata
        ? $"no metadata yet (the torrent's description comes from peers), {status.PeerCount.ToString(CultureInfo.InvariantCulture)} peer(s)"
        : $"{status.PiecesDone.ToString(CultureInfo.InvariantCulture)} of {status.PieceCount.ToString(CultureInfo.InvariantCulture)} pieces "
        + $"({(status.Progress * 100).ToString("0.0", CultureInfo.InvariantCulture)}%), {status.PeerCount.ToString(CultureInfo.InvariantCulture)} peer(s)";

    /// <summary><paramref name="text"/> cut to <paramref name="width"/> characters, ending in "..." when cut.</summary>
    public static string Truncate(string text, int width) =>
        text.Length <= width ? text : width <= Ellipsis.Length ? text[..Math.Max(width, 0)] : text[..(width - Ellipsis.Length)] + Ellipsis;

    private static int Length(List<(string Text, int Rank)> parts) => parts.Sum(p => p.Text.Length) + (2 * (parts.Count - 1));
}
