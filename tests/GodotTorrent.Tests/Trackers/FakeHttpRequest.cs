namespace GodotTorrent.Tests.Trackers;

/// <summary>One request <see cref="FakeHttpTracker"/> received: path, raw query values, headers and body.</summary>
public sealed record FakeHttpRequest(string Path, string RawQuery, IReadOnlyList<KeyValuePair<string, byte[]>> Query, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The request's body (empty without a Content-Length).</summary>
    public byte[] Body { get; init; } = [];

    public byte[]? Bytes(string key) => Query.FirstOrDefault(q => q.Key == key).Value;

    public string? Text(string key) => Bytes(key) is { } b ? System.Text.Encoding.Latin1.GetString(b) : null;

    public bool Has(string key) => Query.Any(q => q.Key == key);
}
