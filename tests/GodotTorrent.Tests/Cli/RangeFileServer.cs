using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace GodotTorrent.Tests.Cli;

/// <summary>
/// A minimal HTTP server on 127.0.0.1 (HttpListener) serving one folder with single byte ranges,
/// for the CLI's web seed runs: the CLI has no handler to inject. Stopped on dispose.
/// </summary>
internal sealed class RangeFileServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _root;
    private readonly Task _serving;
    private int _requests;

    public RangeFileServer(string root)
    {
        _root = root;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}/";

    public int Requests => Volatile.Read(ref _requests);

    public void Dispose()
    {
        _listener.Close();
        _ = _serving.Exception;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            string path = Path.Combine(_root, Uri.UnescapeDataString(context.Request.Url!.AbsolutePath).TrimStart('/'));
            if (!File.Exists(path))
            {
                response.StatusCode = 404;
                return;
            }

            var data = await File.ReadAllBytesAsync(path);
            long from = 0, to = data.Length - 1;
            if (context.Request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal))
            {
                var parts = range["bytes=".Length..].Split('-');
                from = long.Parse(parts[0], CultureInfo.InvariantCulture);
                to = Math.Min(to, long.Parse(parts[1], CultureInfo.InvariantCulture));
                response.StatusCode = 206;
                response.AddHeader("Content-Range", $"bytes {from}-{to}/{data.Length}");
            }

            response.ContentLength64 = to - from + 1;
            await response.OutputStream.WriteAsync(data.AsMemory((int)from, (int)(to - from + 1)));
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away.
        }
        finally
        {
            response.Close();
        }
    }
}
