using GodotTorrent.Dht.Items;
using GodotTorrent.Tests.Cli;

namespace GodotTorrent.Tests.Dht.Items;

/// <summary>Key files on a real temporary folder: the file's mode and the refusal to overwrite are the point.</summary>
public sealed class DhtKeyPairTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_generated_pair_round_trips_through_its_file()
    {
        var keys = DhtKeyPair.Generate();
        string path = _temp.Combine("publisher.key");

        keys.Save(path, overwrite: false);
        var loaded = DhtKeyPair.Load(path);

        Assert.Equal(keys.Seed.ToArray(), loaded.Seed.ToArray());
        Assert.Equal(keys.PublicKeyHex, loaded.PublicKeyHex);
        string[] lines = File.ReadAllLines(path);
        Assert.Equal(["gdtorrent-dht-key 1", "seed " + Convert.ToHexString(keys.Seed).ToLowerInvariant(), "public " + keys.PublicKeyHex], lines);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [Fact]
    public void Two_generated_pairs_differ()
    {
        Assert.NotEqual(DhtKeyPair.Generate().PublicKeyHex, DhtKeyPair.Generate().PublicKeyHex);
    }

    [Fact]
    public void Save_refuses_to_replace_a_file_unless_asked()
    {
        string path = _temp.Combine("k");
        var first = DhtKeyPair.Generate();
        first.Save(path, overwrite: false);

        Assert.Throws<IOException>(() => DhtKeyPair.Generate().Save(path, overwrite: false));
        Assert.Equal(first.PublicKeyHex, DhtKeyPair.Load(path).PublicKeyHex);

        var second = DhtKeyPair.Generate();
        second.Save(path, overwrite: true);
        Assert.Equal(second.PublicKeyHex, DhtKeyPair.Load(path).PublicKeyHex);
    }

    [Fact]
    public void Parse_takes_crlf_line_ends()
    {
        var keys = DhtKeyPair.Generate();
        Assert.Equal(keys.PublicKeyHex, DhtKeyPair.Parse(keys.ToFileText().Replace("\n", "\r\n", StringComparison.Ordinal)).PublicKeyHex);
    }

    [Theory]
    [InlineData("")]
    [InlineData("gdtorrent-dht-key 2\nseed 00\npublic 00\n")]
    [InlineData("not a key")]
    public void Malformed_files_are_InvalidKeyFile(string text)
    {
        var e = Assert.Throws<TorrentFormatException>(() => DhtKeyPair.Parse(text));
        Assert.Equal(ErrorCode.InvalidKeyFile, e.ErrorCode);
    }

    [Fact]
    public void Bad_hex_short_seeds_and_a_damaged_public_key_are_InvalidKeyFile()
    {
        string good = DhtKeyPair.Generate().ToFileText();
        string[] lines = good.Split('\n');
        string badHex = good.Replace(lines[1], "seed " + new string('g', 64), StringComparison.Ordinal);
        string shortSeed = good.Replace(lines[1], lines[1][..^2], StringComparison.Ordinal);
        char last = lines[2][^1];
        string damaged = good.Replace(lines[2], lines[2][..^1] + (last == '0' ? '1' : '0'), StringComparison.Ordinal);

        foreach (string text in new[] { badHex, shortSeed, damaged })
        {
            var e = Assert.Throws<TorrentFormatException>(() => DhtKeyPair.Parse(text));
            Assert.Equal(ErrorCode.InvalidKeyFile, e.ErrorCode);
        }
    }

    [Fact]
    public void Load_refuses_a_large_file_without_reading_it_all()
    {
        string path = _temp.Combine("big");
        File.WriteAllBytes(path, new byte[1 << 20]);

        var e = Assert.Throws<TorrentFormatException>(() => DhtKeyPair.Load(path));
        Assert.Equal(ErrorCode.InvalidKeyFile, e.ErrorCode);
    }
}
