using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Trackers;

/// <summary>
/// An HTTP(S) tracker: announce as BEP 3 (with BEP 23 compact and BEP 7 IPv6 peers) and scrape as
/// BEP 48. The reply body is read incrementally up to <see cref="TrackerOptions.MaxResponseBytes"/>,
/// and the whole exchange is bounded by <see cref="TrackerOptions.HttpTimeout"/>.
/// </summary>
internal sealed class HttpTrackerClient : ITrackerClient
{
    private readonly HttpClient _http;
    private readonly TrackerOptions _options;

    /// <summary>Creates a client; <paramref name="http"/> is shared and not disposed here.</summary>
    public HttpTrackerClient(Uri uri, HttpClient http, TrackerOptions options)
    {
        Uri = uri;
        _http = http;
        _options = options;
        ScrapeUri = GetScrapeUri(uri);
    }

    public Uri Uri { get; }

    /// <summary>The scrape URL (BEP 48), or null when the announce URL has none.</summary>
    public Uri? ScrapeUri { get; }

    /// <summary>
    /// The HttpClient trackers share by default: redirects followed at most
    /// <see cref="TrackerOptions.MaxRedirects"/> times (a loop then ends in a 3xx the client
    /// reports), no cookies, compressed bodies accepted, and no time-out of its own (each request
    /// has one).
    /// </summary>
    public static HttpClient CreateHttpClient(TrackerOptions options)
    {
#pragma warning disable CA2000 // The handler is owned and disposed by the HttpClient.
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = options.MaxRedirects > 0,
            MaxAutomaticRedirections = Math.Max(1, options.MaxRedirects),
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            ConnectTimeout = options.HttpTimeout,
            UseCookies = false,
            MaxResponseHeadersLength = 64,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
#pragma warning restore CA2000
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// BEP 48: the scrape URL replaces the text <c>announce</c> at the start of the last path
    /// segment with <c>scrape</c> (<c>/x/announce.php?k=1</c> becomes <c>/x/scrape.php?k=1</c>);
    /// without it the tracker cannot be scraped.
    /// </summary>
    public static Uri? GetScrapeUri(Uri announce)
    {
        string path = announce.AbsolutePath;
        int slash = path.LastIndexOf('/');
        if (!path.AsSpan(slash + 1).StartsWith("announce", StringComparison.Ordinal))
        {
            return null;
        }

        var builder = new UriBuilder(announce) { Path = string.Concat(path.AsSpan(0, slash + 1), "scrape", path.AsSpan(slash + 1 + "announce".Length)) };
        return builder.Uri;
    }

    /// <summary>The announce URL with BEP 3's query parameters appended to whatever query it already has.</summary>
    public static string BuildAnnounceUrl(Uri announce, AnnounceRequest request)
    {
        var url = new StringBuilder(announce.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped), 512);
        url.Append(string.IsNullOrEmpty(announce.Query) ? '?' : '&');
        url.Append("info_hash=");
        PercentEncoding.AppendBytes(url, request.InfoHash.Span);
        url.Append("&peer_id=");
        PercentEncoding.AppendBytes(url, request.PeerId.Span);
        url.Append(CultureInfo.InvariantCulture, $"&port={request.Port}");
        url.Append(CultureInfo.InvariantCulture, $"&uploaded={Math.Max(0, request.Stats.Uploaded)}");
        url.Append(CultureInfo.InvariantCulture, $"&downloaded={Math.Max(0, request.Stats.Downloaded)}");
        url.Append(CultureInfo.InvariantCulture, $"&left={Math.Max(0, request.Stats.Left)}");
        url.Append("&compact=1&no_peer_id=1");
        string? eventName = request.Event switch
        {
            AnnounceEvent.Started => "started",
            AnnounceEvent.Completed => "completed",
            AnnounceEvent.Stopped => "stopped",
            _ => null,
        };
        if (eventName is not null)
        {
            url.Append("&event=").Append(eventName);
        }

        url.Append(CultureInfo.InvariantCulture, $"&numwant={Math.Max(0, request.NumWant)}");
        url.Append(CultureInfo.InvariantCulture, $"&key={request.Key:X8}");
        if (!string.IsNullOrEmpty(request.TrackerId))
        {
            url.Append("&trackerid=");
            PercentEncoding.AppendBytes(url, Encoding.UTF8.GetBytes(request.TrackerId));
        }

        return url.ToString();
    }

    public async Task<AnnounceResponse> AnnounceAsync(AnnounceRequest request, CancellationToken cancellationToken)
    {
        byte[] body = await GetAsync(BuildAnnounceUrl(Uri, request), cancellationToken).ConfigureAwait(false);
        return HttpTrackerReply.ParseAnnounce(body, _options.MaxPeersPerReply);
    }

    public async Task<ScrapeResponse> ScrapeAsync(ReadOnlyMemory<byte> infoHash, CancellationToken cancellationToken)
    {
        if (ScrapeUri is null)
        {
            throw new TrackerException(ErrorCode.ScrapeNotSupported, $"{Uri} has no scrape URL (its path does not end in 'announce')");
        }

        var url = new StringBuilder(ScrapeUri.GetComponents(UriComponents.HttpRequestUrl, UriFormat.UriEscaped));
        url.Append(string.IsNullOrEmpty(ScrapeUri.Query) ? '?' : '&').Append("info_hash=");
        PercentEncoding.AppendBytes(url, infoHash.Span);
        byte[] body = await GetAsync(url.ToString(), cancellationToken).ConfigureAwait(false);
        return HttpTrackerReply.ParseScrape(body, infoHash.Span);
    }

    public void Dispose()
    {
        // The HttpClient is shared; nothing of our own to release.
    }

    private async Task<byte[]> GetAsync(string url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.HttpTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("User-Agent", _options.UserAgent);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            int status = (int)response.StatusCode;
            if (status is >= 300 and < 400)
            {
                throw new TrackerException(
                    ErrorCode.TrackerTooManyRedirects,
                    $"The tracker redirected more than {_options.MaxRedirects} times or to an unusable location (HTTP {status})",
                    status);
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new TrackerException(ErrorCode.TrackerHttpError, $"The tracker answered HTTP {status} {response.ReasonPhrase}", status);
            }

            return await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Our own deadline, or the injected HttpClient's Timeout: either way the tracker was too slow.
            throw new TrackerException(ErrorCode.TrackerTimeout, $"The tracker did not answer within {_options.HttpTimeout.TotalSeconds:0.###} s", innerException: e);
        }
        catch (HttpRequestException e)
        {
            throw new TrackerException(ErrorCode.TrackerConnectFailed, $"The tracker could not be reached: {e.Message}", (int?)e.StatusCode ?? 0, e);
        }
        catch (IOException e)
        {
            throw new TrackerException(ErrorCode.TrackerConnectFailed, $"The tracker's reply broke off: {e.Message}", innerException: e);
        }
        catch (Exception e) when (e is InvalidOperationException or UriFormatException or NotSupportedException)
        {
            throw new TrackerException(ErrorCode.UnsupportedTrackerUrl, $"The tracker URL cannot be requested: {e.Message}", innerException: e);
        }
    }

    private async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await Net.BoundedHttpBody.ReadAsync(response, _options.MaxResponseBytes, continueOnCapturedContext: false, cancellationToken).ConfigureAwait(false)
            ?? throw TooLarge(_options.MaxResponseBytes);

    private static TrackerException TooLarge(int limit) =>
        new(ErrorCode.TrackerResponseTooLarge, $"The tracker's reply is larger than {limit} bytes");
}
