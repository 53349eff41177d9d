using GodotTorrent.Dht.Items;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Cli;

public sealed class KeygenCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Writes_a_key_file_and_prints_its_public_key_and_a_magnet_that_parses_back()
    {
        string path = _temp.Combine("publisher.key");

        var result = await CliRunner.RunAsync("keygen", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        var keys = DhtKeyPair.Load(path);
        string[] lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["public key: " + keys.PublicKeyHex, "magnet: magnet:?xs=urn:btpk:" + keys.PublicKeyHex], lines);
        var magnet = MagnetLink.Parse(lines[1]["magnet: ".Length..]);
        Assert.False(magnet.HasInfoHashes);
        Assert.Equal(keys.PublicKey.ToArray(), magnet.PublicKey.ToArray());
        Assert.True(magnet.Salt.IsEmpty);
    }

    [Fact]
    public async Task The_salt_is_carried_in_the_magnet_as_hex()
    {
        string path = _temp.Combine("k");

        var result = await CliRunner.RunAsync("keygen", path, "--salt", "stable");

        Assert.True(result.ExitCode == 0, result.ToString());
        string uri = result.Out.Split('\n')[1]["magnet: ".Length..].Trim();
        Assert.EndsWith("&s=737461626c65", uri, StringComparison.Ordinal);
        var magnet = MagnetLink.Parse(uri);
        Assert.Equal("stable"u8.ToArray(), magnet.Salt.ToArray());
        Assert.Equal(DhtKeyPair.Load(path).PublicKey.ToArray(), magnet.PublicKey.ToArray());
    }

    [Fact]
    public async Task Refuses_to_replace_a_key_file_unless_forced()
    {
        string path = _temp.Combine("k");
        Assert.Equal(0, (await CliRunner.RunAsync("keygen", path)).ExitCode);
        string first = File.ReadAllText(path);

        var refused = await CliRunner.RunAsync("keygen", path);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already exists", refused.Error, StringComparison.Ordinal);
        Assert.Equal("", refused.Out);
        Assert.Equal(first, File.ReadAllText(path));

        var forced = await CliRunner.RunAsync("keygen", path, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.NotEqual(first, File.ReadAllText(path));
        Assert.Contains(DhtKeyPair.Load(path).PublicKeyHex, forced.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_salt_over_64_bytes_is_a_usage_error()
    {
        string path = _temp.Combine("k");

        var result = await CliRunner.RunAsync("keygen", path, "--salt", new string('x', 65));

        Assert.Equal(2, result.ExitCode);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task The_magnet_command_prints_a_bep46_link_and_info_explains_it_needs_the_dht()
    {
        string key = new('a', 64);

        var magnet = await CliRunner.RunAsync("magnet", $"magnet:?s=6E&xs=urn:btpk:{key.ToUpperInvariant()}");
        var info = await CliRunner.RunAsync("info", $"magnet:?xs=urn:btpk:{key}");

        Assert.True(magnet.ExitCode == 0, magnet.ToString());
        Assert.Equal($"magnet:?xs=urn:btpk:{key}&s=6e", magnet.Out.Trim());
        Assert.Equal(1, info.ExitCode);
        Assert.Contains("BEP 46", info.Error, StringComparison.Ordinal);
    }
}
