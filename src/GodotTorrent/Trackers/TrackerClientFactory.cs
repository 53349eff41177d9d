namespace GodotTorrent.Trackers;

/// <summary>
/// Makes HTTP(S) and UDP tracker clients. HTTP clients share one <see cref="HttpClient"/>
/// (injected, or made with <see cref="HttpTrackerClient.CreateHttpClient"/> and owned here).
/// </summary>
internal sealed class TrackerClientFactory : ITrackerClientFactory, IDisposable
{
    private readonly TrackerOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private int _created;

    public TrackerClientFactory(TrackerOptions options, TimeProvider? time = null, HttpClient? http = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _ownsHttp = http is null;
        _http = http ?? HttpTrackerClient.CreateHttpClient(options);
    }

    public bool Supports(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme is "http" or "https" || (uri.Scheme == "udp" && uri.Port > 0));

    /// <summary>Clients made so far: every tracker contact needs one, so 0 means no tracker was ever contacted.</summary>
    public int CreatedCount => Volatile.Read(ref _created);

    public ITrackerClient Create(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ITrackerClient client = uri.Scheme switch
        {
            "http" or "https" => new HttpTrackerClient(uri, _http, _options),
            "udp" => new UdpTrackerClient(uri, _options, _time),
            _ => throw new TrackerException(ErrorCode.UnsupportedTrackerUrl, $"Trackers with the scheme '{uri.Scheme}' are not supported"),
        };
        Interlocked.Increment(ref _created);
        return client;
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
