using GodotTorrent.Cli.Output;

namespace GodotTorrent.Tests.Cli;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("262144", 262144L)]
    [InlineData("16K", 16384L)]
    [InlineData("256k", 262144L)]
    [InlineData("256KiB", 262144L)]
    [InlineData("256kb", 262144L)]
    [InlineData("1M", 1048576L)]
    [InlineData("4 MiB", 4194304L)]
    [InlineData("1G", 1073741824L)]
    [InlineData("0", 0L)]
    public void Parses_bytes_and_binary_suffixes(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out long bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("K")]
    [InlineData("-1")]
    [InlineData("1.5M")]
    [InlineData("12X")]
    [InlineData("99999999999999999999")]
    [InlineData("9999999999999G")]
    public void Rejects_anything_else(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Theory]
    [InlineData(0L, "0 B")]
    [InlineData(1023L, "1023 B")]
    [InlineData(1024L, "1 KiB")]
    [InlineData(1536L, "1.5 KiB")]
    [InlineData(45000L, "43.9 KiB")]
    [InlineData(5000L, "4.88 KiB")]
    [InlineData(262144L, "256 KiB")]
    [InlineData(67108864L, "64 MiB")]
    [InlineData(1288490189L, "1.2 GiB")]
    public void Formats_with_binary_units_and_invariant_digits(long bytes, string expected) =>
        Assert.Equal(expected, ByteSize.Format(bytes));

    [Fact]
    public void Formats_exact_counts_with_invariant_separators() =>
        Assert.Equal("67,108,864 bytes", ByteSize.FormatExact(67108864));
}
