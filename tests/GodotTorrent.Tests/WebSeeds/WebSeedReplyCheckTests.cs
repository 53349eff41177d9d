using System.Net;
using System.Net.Http.Headers;
using GodotTorrent.WebSeeds;

namespace GodotTorrent.Tests.WebSeeds;

/// <summary>Each kind of bad reply to a ranged GET is refused before its body is used; the good ones pass.</summary>
public sealed class WebSeedReplyCheckTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly WebSeedSegment Part = new("http://cdn.test/a", 100, 50, 1000);
    private static readonly WebSeedSegment Whole = new("http://cdn.test/a", 0, 1000, 1000);

    [Fact]
    public void MatchingPartialContentPasses() => Assert.Null(WebSeedReplyCheck.Check(Partial(100, 149, 1000, 50), Part, Now));

    [Fact]
    public void WholeFileOkPassesOnlyForAWholeFileRange()
    {
        Assert.Null(WebSeedReplyCheck.Check(Ok(1000), Whole, Now));
        var refused = WebSeedReplyCheck.Check(Ok(1000), Part, Now);
        Assert.Equal(ErrorCode.WebSeedRangesNotSupported, refused?.Code);
        Assert.True(refused!.Permanent);
    }

    [Fact]
    public void WholeFileOkWithTheWrongLengthIsRefused() => Assert.Equal(ErrorCode.WebSeedBadReply, WebSeedReplyCheck.Check(Ok(999), Whole, Now)?.Code);

    [Theory]
    [InlineData(101, 150, 1000)]
    [InlineData(100, 148, 1000)]
    [InlineData(100, 149, 2000)]
    public void PartialContentForAnotherRangeIsRefused(long from, long to, long total) =>
        Assert.Equal(ErrorCode.WebSeedBadReply, WebSeedReplyCheck.Check(Partial(from, to, total, to - from + 1), Part, Now)?.Code);

    [Fact]
    public void PartialContentWithoutContentRangeIsRefused()
    {
        var response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(new byte[50]) };
        Assert.Equal(ErrorCode.WebSeedBadReply, WebSeedReplyCheck.Check(response, Part, Now)?.Code);
    }

    [Fact]
    public void PartialContentLongerThanAskedIsRefused() =>
        Assert.Equal(ErrorCode.WebSeedBadReply, WebSeedReplyCheck.Check(Partial(100, 149, 1000, 60), Part, Now)?.Code);

    [Fact]
    public void EncodedBodyIsRefused()
    {
        var response = Partial(100, 149, 1000, 50);
        response.Content.Headers.ContentEncoding.Add("gzip");
        Assert.Equal(ErrorCode.WebSeedBadReply, WebSeedReplyCheck.Check(response, Part, Now)?.Code);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, true)]
    [InlineData(HttpStatusCode.Forbidden, true)]
    [InlineData(HttpStatusCode.InternalServerError, false)]
    [InlineData(HttpStatusCode.BadGateway, false)]
    public void ErrorStatusesAreRefusedAndOnlyServerErrorsAreTransient(HttpStatusCode status, bool permanent)
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent("<html><body>error</body></html>") };
        var failure = WebSeedReplyCheck.Check(response, Part, Now);
        Assert.Equal(ErrorCode.WebSeedHttpError, failure?.Code);
        Assert.Equal((int)status, failure!.HttpStatus);
        Assert.Equal(permanent, failure.Permanent);
    }

    [Fact]
    public void RetryAfterIsReadAsSecondsOrADateAndCapped()
    {
        var seconds = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        seconds.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(7));
        var date = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        date.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(30));
        var huge = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        huge.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromDays(2));

        Assert.Equal(TimeSpan.FromSeconds(7), WebSeedReplyCheck.Check(seconds, Part, Now)?.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(30), WebSeedReplyCheck.Check(date, Part, Now)?.RetryAfter);
        Assert.Equal(WebSeedReplyCheck.MaxRetryAfter, WebSeedReplyCheck.Check(huge, Part, Now)?.RetryAfter);
        Assert.False(WebSeedReplyCheck.Check(seconds, Part, Now)!.Permanent);
    }

    private static HttpResponseMessage Ok(int length) => new(HttpStatusCode.OK) { Content = new ByteArrayContent(new byte[length]) };

    private static HttpResponseMessage Partial(long from, long to, long total, long length)
    {
        var content = new ByteArrayContent(new byte[length]);
        content.Headers.ContentRange = new ContentRangeHeaderValue(from, to, total);
        return new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = content };
    }
}
