using GodotTorrent.Cli.Http;

namespace GodotTorrent.Tests.Cli;

/// <summary>The <c>Range</c> header as <c>gdtorrent stream</c> reads it (RFC 9110 section 14).</summary>
public sealed class HttpRangeTests
{
    [Theory]
    [InlineData(null, "Whole", 0, 1000)]
    [InlineData("items=0-5", "Whole", 0, 1000)]
    [InlineData("bytes=0-99", "Partial", 0, 100)]
    [InlineData("bytes=990-", "Partial", 990, 10)]
    [InlineData("bytes=990-5000", "Partial", 990, 10)]
    [InlineData("bytes=-10", "Partial", 990, 10)]
    [InlineData("bytes=-5000", "Partial", 0, 1000)]
    [InlineData("BYTES= 5 - 5 ", "Partial", 5, 1)]
    [InlineData("bytes=1000-", "Unsatisfiable", 0, 1000)]
    [InlineData("bytes=-0", "Unsatisfiable", 0, 1000)]
    [InlineData("bytes=9-3", "Unsatisfiable", 0, 1000)]
    [InlineData("bytes=0-1,4-5", "Unsatisfiable", 0, 1000)]
    [InlineData("bytes=a-b", "Unsatisfiable", 0, 1000)]
    [InlineData("bytes=+1-2", "Unsatisfiable", 0, 1000)]
    [InlineData("bytes=99999999999999999999-", "Unsatisfiable", 0, 1000)]
    [InlineData("bytes", "Whole", 0, 1000)]
    public void Ranges_resolve_against_the_length(string? header, string verdict, long start, long length)
    {
        Assert.Equal(verdict, HttpRange.Parse(header, 1000, out var range).ToString());
        Assert.Equal(new HttpRange(start, length), range);
    }

    [Fact]
    public void An_empty_file_has_no_satisfiable_range()
    {
        Assert.Equal(HttpRange.Verdict.Unsatisfiable, HttpRange.Parse("bytes=0-", 0, out _));
        Assert.Equal(HttpRange.Verdict.Unsatisfiable, HttpRange.Parse("bytes=-5", 0, out _));
        Assert.Equal(HttpRange.Verdict.Whole, HttpRange.Parse(null, 0, out _));
    }
}
