namespace GodotTorrent.Interop.Harness;

/// <summary>
/// One line of an <see cref="NginxServer"/>'s access log: the method, the URI as sent
/// (percent-encoded, with any query), the status, the Range header asked ("" when none), the
/// body bytes sent, the Content-Range answered ("" when none), and the connection's serial number
/// and request count on it (keep-alive shows as several requests on one connection), and when
/// nginx logged it (the end of the request, millisecond resolution), and the protocol
/// ("HTTP/1.1", "HTTP/2.0").
/// </summary>
public sealed record NginxRequest(string Method, string Uri, int Status, string Range, long BodyBytes, string ContentRange, long Connection, int RequestOnConnection, DateTimeOffset Logged, string Protocol)
{
    /// <summary>The URI without its query.</summary>
    public string Path => Uri.Split('?')[0];
}
