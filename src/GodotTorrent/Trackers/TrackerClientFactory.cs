namespace GodotTorrent.Trackers;

/// <summary>
/// Makes HTTP(S) and UDP tracker clients. HTTP clients share one <see cref="HttpClient"/>
/// (injected, or made with <see cref="HttpTrackerClient.CreateHttpClient"/> on the first HTTP
/// tracker and owned here).
/// </summary>
internal sealed class TrackerClientFactory : ITrackerClientFactory, IDisposable
{
    private readonly TrackerOptions _options;
    private readonly TimeProvider _time;
    private readonly bool _ownsHttp;
    private readonly object _gate = new();
    private HttpClient? _http;
    private bool _disposed;
    private int _created;

    public TrackerClientFactory(TrackerOptions options, TimeProvider? time = null, HttpClient? http = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _ownsHttp = http is null;
        _http = http;
    }

    /// <summary>True once the shared HTTP client exists (injected, or made for a first HTTP tracker).</summary>
    internal bool HasHttpClient => Volatile.Read(ref _http) is not null;

    public bool Supports(Uri uri) =>
        uri.IsAbsoluteUri && (uri.Scheme is "http" or "https" || (uri.Scheme == "udp" && uri.Port > 0));

    /// <summary>Clients made so far: every tracker contact needs one, so 0 means no tracker was ever contacted.</summary>
    public int CreatedCount => Volatile.Read(ref _created);

    public ITrackerClient Create(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ITrackerClient client = uri.Scheme switch
        {
            "http" or "https" => new HttpTrackerClient(uri, SharedHttp(), _options),
            "udp" => new UdpTrackerClient(uri, _options, _time),
            _ => throw new TrackerException(ErrorCode.UnsupportedTrackerUrl, $"Trackers with the scheme '{uri.Scheme}' are not supported"),
        };
        Interlocked.Increment(ref _created);
        return client;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            if (_ownsHttp)
            {
                _http?.Dispose();
            }
        }
    }

    // Made on first use: an HttpClient loads System.Net.Http and its telemetry, about a tenth of a
    // cold session start, and a session with no HTTP tracker never needs one.
    private HttpClient SharedHttp()
    {
        if (Volatile.Read(ref _http) is { } http)
        {
            return http;
        }

        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _http ??= HttpTrackerClient.CreateHttpClient(_options);
            return _http;
        }
    }
}
