using System.Text;
using GodotTorrent.Metainfo;

namespace GodotTorrent.WebSeeds;

/// <summary>
/// The URL of one file on a BEP 19 (GetRight-style) web seed: for a multi-file torrent the base
/// URL, the torrent's name and the file's path; for a single-file torrent the URL itself, or the
/// URL plus the name when the URL ends in '/'. Each path element is percent-encoded as UTF-8.
/// </summary>
internal static class WebSeedUrl
{
    /// <summary>The URL to fetch <paramref name="file"/> of <paramref name="torrent"/> from the web seed <paramref name="baseUrl"/>.</summary>
    public static string ForFile(string baseUrl, TorrentInfo torrent, FileEntry file)
    {
        var builder = new StringBuilder(baseUrl);
        if (!torrent.IsMultiFile)
        {
            if (baseUrl.EndsWith('/'))
            {
                AppendElement(builder, torrent.OriginalName);
            }

            return builder.ToString();
        }

        if (!baseUrl.EndsWith('/'))
        {
            builder.Append('/');
        }

        // OriginalPath starts with the torrent's name: the folder BEP 19 puts after the base URL.
        // A hostile torrent's "." and ".." elements are left out, as its storage path leaves them out:
        // escaping them would not help (HttpClient's Uri decodes %2E and resolves the dot segments),
        // and kept they would climb out of the web seed's folder to whatever the server has there.
        bool first = true;
        foreach (string element in file.OriginalPath.Split('/'))
        {
            if (element is "." or "..")
            {
                continue;
            }

            if (!first)
            {
                builder.Append('/');
            }

            AppendElement(builder, element);
            first = false;
        }

        return builder.ToString();
    }

    // Only RFC 3986 unreserved characters stay as they are: spaces, '%', '#', '?', '/' and non-ASCII are escaped.
    private static void AppendElement(StringBuilder builder, string element) => PercentEncoding.Append(builder, element, alsoPlain: string.Empty);
}
