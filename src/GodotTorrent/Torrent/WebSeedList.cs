namespace GodotTorrent.Torrent;

/// <summary>A torrent's BEP 19 web seed URLs: those it was added with, and those the app added. Engine loop only.</summary>
internal sealed class WebSeedList(IEnumerable<string> initial)
{
    private readonly List<string> _urls = [.. initial.Distinct(StringComparer.Ordinal)];

    public IReadOnlyList<string> ToList() => [.. _urls];

    /// <summary>The URLs now, without a copy (engine loop only).</summary>
    public IReadOnlyList<string> Urls => _urls;

    /// <summary>Adds URLs that came with the torrent (a magnet's metadata), as the constructor does.</summary>
    public void Merge(IEnumerable<string> urls)
    {
        foreach (string url in urls)
        {
            if (!_urls.Contains(url, StringComparer.Ordinal))
            {
                _urls.Add(url);
            }
        }
    }

    /// <summary>Adds a web seed URL (kept and saved; the torrent downloads from it while it downloads).</summary>
    /// <exception cref="TorrentException">The URL is not http or https.</exception>
    public void Add(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"A web seed is an http or https URL, not '{url}'.");
        }

        if (!_urls.Contains(url, StringComparer.Ordinal))
        {
            _urls.Add(url);
        }
    }

    public bool Remove(string url) => _urls.Remove(url);
}
