namespace GodotTorrent.Interop.Harness;

/// <summary>
/// What an <see cref="NginxServer"/> serves. <see cref="Root"/> is served at "/"; each entry of
/// <see cref="Aliases"/> serves another folder under a path prefix ("/bad/" -> a folder), so one
/// server can stand for several web seeds. With a <see cref="Certificate"/> it speaks HTTPS (and
/// HTTP/2 through ALPN) instead of HTTP. The fixed locations of <see cref="NginxServer"/>
/// (unavailable, redirect loop, ranges ignored) are always there.
/// </summary>
public sealed record NginxOptions(string Root)
{
    /// <summary>Path prefix (starting and ending with '/') to folder, served with nginx's <c>alias</c>.</summary>
    public IReadOnlyDictionary<string, string> Aliases { get; init; } = new Dictionary<string, string>();

    /// <summary>HTTPS with this certificate (its PEM files); null: plain HTTP.</summary>
    public TestCertificate? Certificate { get; init; }

    /// <summary>The Retry-After header (seconds) of the 503 answers under <see cref="NginxServer.UnavailablePrefix"/>.</summary>
    public int RetryAfterSeconds { get; init; } = 2;

    /// <summary>nginx <c>limit_rate</c>: bytes per second per connection for every location; 0: no limit (slows a download down enough to act in the middle of it).</summary>
    public long LimitRate { get; init; }
}
