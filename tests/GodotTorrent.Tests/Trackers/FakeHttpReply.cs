namespace GodotTorrent.Tests.Trackers;

/// <summary>What <see cref="FakeHttpTracker"/> answers one request with.</summary>
public sealed record FakeHttpReply
{
    public int Status { get; init; } = 200;

    public byte[] Body { get; init; } = [];

    /// <summary>Extra header lines ("Name: value").</summary>
    public IReadOnlyList<string> Headers { get; init; } = [];

    /// <summary>Leave out Content-Length and end the body by closing the connection.</summary>
    public bool NoContentLength { get; init; }

    /// <summary>Wait this long before answering.</summary>
    public TimeSpan Delay { get; init; }

    public static FakeHttpReply Bencoded(string text) => new() { Body = System.Text.Encoding.Latin1.GetBytes(text) };

    public static FakeHttpReply Bytes(byte[] body) => new() { Body = body };
}
