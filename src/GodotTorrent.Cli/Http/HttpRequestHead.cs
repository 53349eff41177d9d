using System.Text;

namespace GodotTorrent.Cli.Http;

/// <summary>A parsed HTTP/1.x request line and headers (no body: only GET and HEAD are served).</summary>
internal sealed class HttpRequestHead
{
    private HttpRequestHead(string method, string target, bool http11, Dictionary<string, string> headers)
    {
        Method = method;
        Target = target;
        Http11 = http11;
        Headers = headers;
    }

    public string Method { get; }

    public string Target { get; }

    public bool Http11 { get; }

    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Whether the connection stays open after the answer (HTTP/1.1 unless "close"; 1.0 only with "keep-alive").</summary>
    public bool KeepAlive
    {
        get
        {
            string? connection = Headers.GetValueOrDefault("Connection");
            return Http11
                ? !string.Equals(connection, "close", StringComparison.OrdinalIgnoreCase)
                : string.Equals(connection, "keep-alive", StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>Parses the bytes of a head (without the blank line); null when it is not HTTP/1.x.</summary>
    public static HttpRequestHead? Parse(ReadOnlySpan<byte> head)
    {
        // Latin-1 keeps every byte one char, so nothing malformed can throw here.
        string text = Encoding.Latin1.GetString(head);
        string[] lines = text.Split("\r\n");
        string[] request = lines[0].Split(' ');
        if (request.Length != 3 || request[0].Length == 0 || request[1].Length == 0
            || !(request[2] == "HTTP/1.1" || request[2] == "HTTP/1.0"))
        {
            return null;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (int i = 1; i < lines.Length; i++)
        {
            int colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return null;
            }

            string name = lines[i][..colon].Trim();
            string value = lines[i][(colon + 1)..].Trim();
            if (name.Length == 0 || name.Contains(' ', StringComparison.Ordinal) || (headers.ContainsKey(name) && name.Equals("Range", StringComparison.OrdinalIgnoreCase)))
            {
                return null;
            }

            headers[name] = value;
        }

        return new HttpRequestHead(request[0], request[1], request[2] == "HTTP/1.1", headers);
    }
}
