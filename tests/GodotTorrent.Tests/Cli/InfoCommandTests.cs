using System.Text.Json;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Cli;

public sealed class InfoCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Human_output_lists_name_hashes_size_pieces_files_trackers_and_web_seeds()
    {
        string path = _temp.WriteFile("sample.torrent", CliTorrents.MultiFile());
        var torrent = TorrentInfo.Load(path);

        var result = await CliRunner.RunAsync("info", path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        string[] lines = result.Out.Split('\n');
        Assert.Contains("Name:          sample", lines);
        Assert.Contains("Version:       v1", lines);
        Assert.Contains($"Info-hash v1:  {torrent.InfoHashes.V1!.ToHex()}", lines);
        Assert.Contains("Size:          43.9 KiB (45,000 bytes)", lines);
        Assert.Contains("Pieces:        3 x 16 KiB", lines);
        Assert.Contains("Private:       no", lines);
        Assert.Contains("Created on:    2023-11-14 22:13:20 UTC", lines);
        Assert.Contains("Comment:       hello & goodbye", lines);
        Assert.Contains("Trackers:      tier 1  http://t1.example/announce", lines);
        Assert.Contains("               tier 2  http://t2.example/announce", lines);
        Assert.Contains("               tier 2  udp://t3.example:80", lines);
        Assert.Contains("Web seeds:     http://ws.example/files/", lines);
        Assert.Contains("Files:         2", lines);
        Assert.Contains("  1  39.1 KiB  sample/a.bin", lines);
        Assert.Contains("  2  4.88 KiB  sample/sub/b.bin", lines);
    }

    [Fact]
    public async Task Json_output_matches_the_parsed_torrent()
    {
        string path = _temp.WriteFile("sample.torrent", CliTorrents.MultiFile());
        var torrent = TorrentInfo.Load(path);

        var result = await CliRunner.RunAsync("info", path, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        JsonTorrentAssert.Matches(torrent, result.Out);
    }

    [Fact]
    public async Task Json_of_a_magnet_has_every_field_with_nulls_for_what_it_cannot_know()
    {
        const string Magnet = "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=foo&tr=http://a.example/x&tr=udp://b.example:1&ws=http://w.example/&xl=1000";

        var result = await CliRunner.RunAsync("info", "--json", Magnet);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("magnet", root.GetProperty("kind").GetString());
        Assert.Equal("foo", root.GetProperty("name").GetString());
        Assert.Equal("0123456789abcdef0123456789abcdef01234567", root.GetProperty("info_hash_v1").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("info_hash_v2").ValueKind);
        Assert.Equal(1000, root.GetProperty("total_size").GetInt64());
        foreach (string field in new[] { "piece_length", "piece_count", "private", "files", "comment", "creation_date" })
        {
            Assert.Equal(JsonValueKind.Null, root.GetProperty(field).ValueKind);
        }

        Assert.Equal(2, root.GetProperty("trackers").GetArrayLength());
        Assert.Equal("http://w.example/", root.GetProperty("web_seeds")[0].GetString());
        Assert.Equal(MagnetLink.Parse(Magnet).ToUri(), root.GetProperty("magnet").GetString());
    }

    [Fact]
    public async Task Human_output_of_a_magnet_says_the_pieces_are_unknown()
    {
        var result = await CliRunner.RunAsync("info", "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Pieces:        unknown (a magnet link has no metadata)", result.Out, StringComparison.Ordinal);
        Assert.Contains("Name:          (none)", result.Out, StringComparison.Ordinal);
    }
}
