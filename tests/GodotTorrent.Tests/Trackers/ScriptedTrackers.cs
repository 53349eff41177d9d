using System.Collections.Concurrent;
using GodotTorrent.Trackers;

namespace GodotTorrent.Tests.Trackers;

/// <summary>
/// A client factory whose trackers answer from a script per URL, recording every announce;
/// for manager tests that need no sockets.
/// </summary>
internal sealed class ScriptedTrackers : ITrackerClientFactory
{
    private readonly ConcurrentDictionary<string, Func<AnnounceRequest, AnnounceResponse>> _scripts = new();

    public ConcurrentQueue<(string Url, AnnounceRequest Request)> Announces { get; } = new();

    public Func<AnnounceRequest, AnnounceResponse> Default { get; set; } = _ => new AnnounceResponse { Interval = TimeSpan.FromMinutes(30) };

    public void Script(string url, Func<AnnounceRequest, AnnounceResponse> script) => _scripts[url] = script;

    public void Fail(string url, ErrorCode code = ErrorCode.TrackerConnectFailed) =>
        _scripts[url] = _ => throw new TrackerException(code, "scripted failure");

    public string[] Urls => [.. Announces.Select(a => a.Url)];

    public bool Supports(Uri uri) => uri.Scheme is "http" or "https" || (uri.Scheme == "udp" && uri.Port > 0);

    public ITrackerClient Create(Uri uri) => new Client(this, uri);

    private sealed class Client(ScriptedTrackers owner, Uri uri) : ITrackerClient
    {
        public Uri Uri { get; } = uri;

        public Task<AnnounceResponse> AnnounceAsync(AnnounceRequest request, CancellationToken cancellationToken)
        {
            string url = Uri.OriginalString;
            owner.Announces.Enqueue((url, request));
            var script = owner._scripts.TryGetValue(url, out var s) ? s : owner.Default;
            try
            {
                return Task.FromResult(script(request));
            }
            catch (Exception e)
            {
                return Task.FromException<AnnounceResponse>(e);
            }
        }

        public Task<ScrapeResponse> ScrapeAsync(ReadOnlyMemory<byte> infoHash, CancellationToken cancellationToken) =>
            Task.FromResult(new ScrapeResponse(1, 2, 3));

        public void Dispose()
        {
        }
    }
}
