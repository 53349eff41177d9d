using System.Net;

namespace GodotTorrent.WebSeeds;

/// <summary>
/// Checks a web seed's reply to a ranged GET before any of its bytes are used: a 206 must name
/// exactly the range asked (<c>Content-Range</c>, RFC 9110 14.4) and length; a 200 is the whole
/// file, good only when the whole file was asked for; anything else is an error. An HTML error
/// page fails these checks like any other wrong reply.
/// </summary>
internal static class WebSeedReplyCheck
{
    /// <summary>Longest wait a server's <c>Retry-After</c> can impose.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(10);

    /// <summary>Null when the reply carries exactly <paramref name="segment"/>; otherwise why not.</summary>
    public static WebSeedFailure? Check(HttpResponseMessage response, WebSeedSegment segment, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        int status = (int)response.StatusCode;
        if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
        {
            return new WebSeedFailure(ErrorCode.WebSeedHttpError, status, $"HTTP {status}: the server asks us to come back later", Permanent: false, RetryAfter(response, now));
        }

        if (status >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout)
        {
            return new WebSeedFailure(ErrorCode.WebSeedHttpError, status, $"HTTP {status} {response.ReasonPhrase}", Permanent: false);
        }

        if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.PartialContent))
        {
            return new WebSeedFailure(ErrorCode.WebSeedHttpError, status, $"HTTP {status} {response.ReasonPhrase}", Permanent: true);
        }

        if (response.Content.Headers.ContentEncoding.Any(e => !e.Equals("identity", StringComparison.OrdinalIgnoreCase)))
        {
            return Bad(status, $"the body is encoded ({string.Join(", ", response.Content.Headers.ContentEncoding)}) though we asked for identity");
        }

        long? contentLength = response.Content.Headers.ContentLength;
        if (response.StatusCode == HttpStatusCode.OK)
        {
            if (!segment.IsWholeFile)
            {
                return new WebSeedFailure(ErrorCode.WebSeedRangesNotSupported, status,
                    $"HTTP 200 (the whole file) to a request for bytes {segment.FileOffset}-{segment.FileOffset + segment.Length - 1}: the server does not honour ranges", Permanent: true);
            }

            return contentLength is { } whole && whole != segment.FileLength
                ? Bad(status, $"HTTP 200 with {whole} bytes for a file of {segment.FileLength}")
                : null;
        }

        if (response.Content.Headers.ContentRange is not { } range)
        {
            return Bad(status, "HTTP 206 without a Content-Range");
        }

        long last = segment.FileOffset + segment.Length - 1;
        if (!string.Equals(range.Unit, "bytes", StringComparison.OrdinalIgnoreCase) || range.From != segment.FileOffset || range.To != last
            || (range.Length is { } total && total != segment.FileLength))
        {
            return Bad(status, $"Content-Range '{range}' does not match the range asked, bytes {segment.FileOffset}-{last}/{segment.FileLength}");
        }

        return contentLength is { } length && length != segment.Length
            ? Bad(status, $"Content-Length {length} for a range of {segment.Length} bytes")
            : null;
    }

    /// <summary><c>Retry-After</c> as seconds or a date (RFC 9110 10.2.3), capped at <see cref="MaxRetryAfter"/>; null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.RetryAfter is not { } retry)
        {
            return null;
        }

        var wait = retry.Delta ?? (retry.Date is { } date ? date - now : null);
        return wait is null ? null : TimeSpan.FromTicks(Math.Clamp(wait.Value.Ticks, 0, MaxRetryAfter.Ticks));
    }

    private static WebSeedFailure Bad(int status, string message) => new(ErrorCode.WebSeedBadReply, status, message, Permanent: true);
}
