using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Http;

/// <summary>
/// A small HTTP/1.1 server for <c>gdtorrent stream</c>: <c>GET</c> and <c>HEAD</c> of
/// <c>/N/name</c> serve file N of the torrent from a <see cref="TorrentFileStream"/> while it
/// downloads, with single byte ranges (200, 206, 416), keep-alive and a Content-Type by extension.
/// Strangers' requests are bounded: heads of 16 KiB at most (431), 30 s to send one, 32 connections.
/// </summary>
internal sealed class StreamHttpServer : IAsyncDisposable
{
    private const int MaxConnections = 32;
    private const int ChunkSize = 64 * 1024;
    private static readonly TimeSpan HeadTimeout = TimeSpan.FromSeconds(30);

    private readonly TorrentHandle _handle;
    private readonly Dictionary<int, FileEntry> _files;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly object _lock = new();
    private Task? _accepting;

    /// <param name="handle">The torrent.</param>
    /// <param name="files">The files served, each under its number (as 'gdtorrent info' numbers them).</param>
    /// <param name="endPoint">Where to listen.</param>
    public StreamHttpServer(TorrentHandle handle, IEnumerable<(int Number, FileEntry File)> files, IPEndPoint endPoint)
    {
        _handle = handle;
        _files = files.ToDictionary(f => f.Number, f => f.File);
        _listener = new TcpListener(endPoint);
    }

    /// <summary>Where it listens (the port chosen when 0 was asked).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    private int _answered;

    /// <summary>Requests answered so far (any status).</summary>
    public int Answered => Volatile.Read(ref _answered);

    /// <summary>Binds and starts accepting.</summary>
    public void Start()
    {
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The URL of file <paramref name="number"/>: the number, then the file's name for players that look at it.</summary>
    public string UrlOf(int number)
    {
        var file = _files[number];
        string host = EndPoint.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{EndPoint.Address}]" : EndPoint.Address.ToString();
        string name = Uri.EscapeDataString(file.Path[(file.Path.LastIndexOf('/') + 1)..]);
        return $"http://{host}:{EndPoint.Port.ToString(CultureInfo.InvariantCulture)}/{number.ToString(CultureInfo.InvariantCulture)}/{name}";
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_accepting is not null)
        {
            await _accepting.ConfigureAwait(false);
        }

        Task[] open;
        lock (_lock)
        {
            open = [.. _connections];
        }

        await Task.WhenAll(open).ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            lock (_lock)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                if (_connections.Count >= MaxConnections)
                {
                    client.Dispose();
                    continue;
                }

                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                client.NoDelay = true;
                var stream = client.GetStream();
                var reader = new HttpHeadReader(stream);
                while (!_stop.IsCancellationRequested)
                {
                    using var headTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                    headTimeout.CancelAfter(HeadTimeout);
                    var (result, bytes) = await reader.ReadAsync(headTimeout.Token).ConfigureAwait(false);
                    if (result == HttpHeadReader.Result.Closed)
                    {
                        return;
                    }

                    if (result == HttpHeadReader.Result.TooLarge)
                    {
                        await WriteHeadAsync(stream, 431, "Request Header Fields Too Large", [], 0, keepAlive: false).ConfigureAwait(false);
                        return;
                    }

                    if (!await AnswerAsync(stream, HttpRequestHead.Parse(bytes)).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or TorrentException)
            {
                // The client went away, the server stops, or the torrent was removed: this connection ends.
            }
        }
    }

    /// <summary>Answers one request; false when the connection must close.</summary>
    private async Task<bool> AnswerAsync(NetworkStream stream, HttpRequestHead? request)
    {
        if (request is null)
        {
            await WriteHeadAsync(stream, 400, "Bad Request", [], 0, keepAlive: false).ConfigureAwait(false);
            return false;
        }

        bool keepAlive = request.KeepAlive;
        bool head = request.Method == "HEAD";
        if (!head && request.Method != "GET")
        {
            await WriteHeadAsync(stream, 405, "Method Not Allowed", [("Allow", "GET, HEAD")], 0, keepAlive).ConfigureAwait(false);
            return keepAlive;
        }

        string path = request.Target.Split('?', 2)[0];
        if (path == "/")
        {
            byte[] index = Encoding.UTF8.GetBytes(string.Concat(_files.Keys.Select(n => UrlOf(n) + "\n")));
            await WriteHeadAsync(stream, 200, "OK", [("Content-Type", "text/plain; charset=utf-8")], index.Length, keepAlive).ConfigureAwait(false);
            if (!head)
            {
                await stream.WriteAsync(index, _stop.Token).ConfigureAwait(false);
            }

            return keepAlive;
        }

        if (FileOf(path) is not { } file)
        {
            await WriteHeadAsync(stream, 404, "Not Found", [], 0, keepAlive).ConfigureAwait(false);
            return keepAlive;
        }

        var verdict = HttpRange.Parse(request.Headers.GetValueOrDefault("Range"), file.Length, out var range);
        (string, string)[] common = [("Content-Type", ContentTypes.For(file.Path)), ("Accept-Ranges", "bytes")];
        if (verdict == HttpRange.Verdict.Unsatisfiable)
        {
            await WriteHeadAsync(stream, 416, "Range Not Satisfiable", [.. common, ("Content-Range", $"bytes */{file.Length.ToString(CultureInfo.InvariantCulture)}")], 0, keepAlive).ConfigureAwait(false);
            return keepAlive;
        }

        if (verdict == HttpRange.Verdict.Partial)
        {
            string contentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {range.Start}-{range.Start + range.Length - 1}/{file.Length}");
            await WriteHeadAsync(stream, 206, "Partial Content", [.. common, ("Content-Range", contentRange)], range.Length, keepAlive).ConfigureAwait(false);
        }
        else
        {
            await WriteHeadAsync(stream, 200, "OK", common, range.Length, keepAlive).ConfigureAwait(false);
        }

        if (!head && range.Length > 0)
        {
            await CopyAsync(file, range, stream).ConfigureAwait(false);
        }

        return keepAlive;
    }

    /// <summary>The served file a path names: <c>/N</c> or <c>/N/anything</c>; null for anything else.</summary>
    private FileEntry? FileOf(string path)
    {
        string[] parts = path.Split('/', 3);
        return parts.Length >= 2 && parts[0].Length == 0
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && _files.TryGetValue(index, out var file) ? file : null;
    }

    private async Task CopyAsync(FileEntry file, HttpRange range, NetworkStream output)
    {
        var source = await _handle.OpenFileStreamAsync(file.Index, cancellationToken: _stop.Token).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            source.Seek(range.Start, SeekOrigin.Begin);
            byte[] buffer = new byte[ChunkSize];
            for (long left = range.Length; left > 0;)
            {
                int read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), _stop.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new IOException("The file ended early.");
                }

                await output.WriteAsync(buffer.AsMemory(0, read), _stop.Token).ConfigureAwait(false);
                left -= read;
            }
        }
    }

    private async Task WriteHeadAsync(NetworkStream stream, int status, string reason, IEnumerable<(string Name, string Value)> headers, long contentLength, bool keepAlive)
    {
        Interlocked.Increment(ref _answered);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n");
        foreach (var (name, value) in headers)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Content-Length: {contentLength}\r\n");
        text.Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
        text.Append("Server: gdtorrent\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text.ToString()), _stop.Token).ConfigureAwait(false);
    }
}
