using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.WebSeeds;

/// <summary>
/// An in-memory HTTP server for web seed tests, reached through the session's injected handler
/// (no sockets): serves files by decoded path with single byte ranges, and misbehaves on request.
/// </summary>
internal sealed class FakeWebServer
{
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private int _requests;

    /// <summary>Every request: its path (decoded) and Range header.</summary>
    public ConcurrentQueue<(string Path, string? Range)> Log { get; } = new();

    /// <summary>Answers before the normal serving; null falls through to it.</summary>
    public Func<HttpRequestMessage, int, Task<HttpResponseMessage?>>? Intercept { get; set; }

    /// <summary>Answers every range with the whole file (200), as a server that ignores ranges.</summary>
    public bool IgnoreRanges { get; set; }

    /// <summary>Flips a byte in every 16 KiB it serves.</summary>
    public bool Corrupt { get; set; }

    public int Requests => Volatile.Read(ref _requests);

    public void AddFile(string path, byte[] data) => _files[path] = data;

    /// <summary>Serves every file of <paramref name="torrent"/> as stored under <paramref name="folder"/> at <paramref name="basePath"/> + its original path.</summary>
    public void AddTorrent(string basePath, string folder, TorrentInfo torrent)
    {
        foreach (var file in torrent.Files.Where(f => !f.IsPad))
        {
            AddFile(basePath + file.OriginalPath, File.ReadAllBytes(Path.Combine(folder, file.OriginalPath)));
        }
    }

    public HttpMessageHandler CreateHandler() => new Handler(this);

    private async Task<HttpResponseMessage> ServeAsync(HttpRequestMessage request)
    {
        int number = Interlocked.Increment(ref _requests);
        string path = Uri.UnescapeDataString(request.RequestUri!.AbsolutePath);
        Log.Enqueue((path, request.Headers.Range?.ToString()));
        if (Intercept is { } intercept && await intercept(request, number) is { } special)
        {
            return special;
        }

        if (!_files.TryGetValue(path, out var data))
        {
            return new HttpResponseMessage(HttpStatusCode.NotFound) { Content = new StringContent("<html>not found</html>") };
        }

        if (request.Headers.Range is not { } range || IgnoreRanges)
        {
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(data) };
        }

        var item = range.Ranges.Single();
        long from = item.From ?? 0, to = Math.Min(item.To ?? data.Length - 1, data.Length - 1);
        var body = data.AsSpan((int)from, (int)(to - from + 1)).ToArray();
        for (int i = 0; Corrupt && i < body.Length; i += 16384)
        {
            body[i] ^= 0xFF;
        }

        var content = new ByteArrayContent(body);
        content.Headers.ContentRange = new ContentRangeHeaderValue(from, to, data.Length);
        return new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = content };
    }

    private sealed class Handler(FakeWebServer server) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            server.ServeAsync(request).WaitAsync(cancellationToken);
    }
}
