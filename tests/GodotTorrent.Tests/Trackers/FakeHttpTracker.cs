using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GodotTorrent.Tests.Trackers;

/// <summary>
/// A tiny HTTP/1.1 server on 127.0.0.1 over a raw TcpListener, so tests control every byte:
/// slow replies, lying or missing Content-Length, redirects. One request per connection; a
/// request's body is kept when it has a Content-Length.
/// </summary>
public sealed class FakeHttpTracker : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<FakeHttpRequest, FakeHttpReply> _handler;
    private readonly CancellationTokenSource _stop = new();

    public FakeHttpTracker(Func<FakeHttpRequest, FakeHttpReply> handler)
    {
        _handler = handler;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string AnnounceUrl => $"http://127.0.0.1:{Port}/announce";

    public ConcurrentQueue<FakeHttpRequest> Requests { get; } = new();

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = new List<byte>();
                var one = new byte[1];
                while (head.Count < 16384 && !EndsWithBlankLine(head))
                {
                    if (await stream.ReadAsync(one, _stop.Token) == 0)
                    {
                        return;
                    }

                    head.Add(one[0]);
                }

                var request = Parse(Encoding.Latin1.GetString(head.ToArray()));
                if (request.Headers.TryGetValue("Content-Length", out string? declared) && int.TryParse(declared, out int length) && length is > 0 and <= 1 << 20)
                {
                    // A POST (a UPnP SOAP call): keep its body.
                    byte[] body = new byte[length];
                    await stream.ReadExactlyAsync(body, _stop.Token);
                    request = request with { Body = body };
                }

                Requests.Enqueue(request);
                var reply = _handler(request);
                if (reply.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(reply.Delay, _stop.Token);
                }

                var header = new StringBuilder($"HTTP/1.1 {reply.Status} Fake\r\nConnection: close\r\n");
                if (!reply.NoContentLength)
                {
                    header.Append($"Content-Length: {reply.Body.Length}\r\n");
                }

                foreach (string line in reply.Headers)
                {
                    header.Append(line).Append("\r\n");
                }

                header.Append("\r\n");
                await stream.WriteAsync(Encoding.Latin1.GetBytes(header.ToString()), _stop.Token);
                await stream.WriteAsync(reply.Body, _stop.Token);
            }
            catch (Exception)
            {
                // The client gave up (time-out, size limit): that is what some tests want.
            }
        }
    }

    private static bool EndsWithBlankLine(List<byte> head) =>
        head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n';

    private static FakeHttpRequest Parse(string head)
    {
        var lines = head.Split("\r\n");
        string target = lines[0].Split(' ')[1];
        int q = target.IndexOf('?');
        string path = q < 0 ? target : target[..q];
        string rawQuery = q < 0 ? string.Empty : target[(q + 1)..];
        var query = new List<KeyValuePair<string, byte[]>>();
        foreach (string pair in rawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            string key = eq < 0 ? pair : pair[..eq];
            string value = eq < 0 ? string.Empty : pair[(eq + 1)..];
            query.Add(new(key, PercentDecode(value)));
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        return new FakeHttpRequest(path, rawQuery, query, headers);
    }

    private static byte[] PercentDecode(string value)
    {
        var bytes = new List<byte>();
        for (int i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length)
            {
                bytes.Add(Convert.ToByte(value.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.Add((byte)value[i]);
            }
        }

        return [.. bytes];
    }
}
