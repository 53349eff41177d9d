using System.Text.Json;

namespace GodotTorrent.Tests.Cli;

public sealed class CheckCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Complete_data_checks_out()
    {
        var (torrentPath, torrent) = await CliContent.CreateAsync(_temp, "data");

        var result = await CliRunner.RunAsync("check", torrentPath, "--data", _temp.Combine("data"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Pieces: {torrent.PieceCount} of {torrent.PieceCount} valid (100.0%)", result.Out, StringComparison.Ordinal);
        Assert.Contains("complete    pack/sub/b.bin", result.Out, StringComparison.Ordinal);
        Assert.Contains("Result: complete", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_torrents_own_folder_is_accepted_as_data()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "data");

        var result = await CliRunner.RunAsync("check", torrentPath, "--data", _temp.Combine("data", "pack"), "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(_temp.Combine("data"), json.RootElement.GetProperty("data_folder").GetString());
        Assert.True(json.RootElement.GetProperty("complete").GetBoolean());
    }

    [Fact]
    public async Task One_corrupted_byte_makes_that_file_incomplete()
    {
        var (torrentPath, torrent) = await CliContent.CreateAsync(_temp, "data");
        string target = _temp.Combine("data", "pack", "sub", "b.bin");
        var bytes = await File.ReadAllBytesAsync(target);
        bytes[40_000] ^= 0xFF; // in piece 14, which holds only b.bin
        await File.WriteAllBytesAsync(target, bytes);

        var result = await CliRunner.RunAsync("check", torrentPath, "--data", _temp.Combine("data"), "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Error);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.False(root.GetProperty("complete").GetBoolean());
        Assert.Equal(torrent.PieceCount - 1, root.GetProperty("valid_pieces").GetInt32());
        Assert.Equal(torrent.PieceCount, root.GetProperty("total_pieces").GetInt32());
        var files = root.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString()!);
        Assert.False(files["pack/sub/b.bin"].GetProperty("complete").GetBoolean());
        Assert.True(files["pack/sub/b.bin"].GetProperty("progress").GetDouble() < 1);
        Assert.True(files["pack/a.bin"].GetProperty("complete").GetBoolean());
        Assert.True(files["pack/c.txt"].GetProperty("complete").GetBoolean());
    }

    [Fact]
    public async Task A_missing_file_fails_the_check()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "data");
        File.Delete(_temp.Combine("data", "pack", "a.bin"));

        var result = await CliRunner.RunAsync("check", torrentPath, "--data", _temp.Combine("data"));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("0.0%  incomplete  pack/a.bin", result.Out, StringComparison.Ordinal);
        Assert.Contains("Result: incomplete", result.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Combine("data", "pack", "a.bin")), "check must not create missing files");
    }

    [Fact]
    public async Task A_missing_data_folder_is_an_error()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "data");

        var result = await CliRunner.RunAsync("check", torrentPath, "--data", _temp.Combine("nowhere"));

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"gdtorrent: error: {_temp.Combine("nowhere")}: no such folder"], result.ErrorLines);
    }

    [Fact]
    public async Task A_stopped_check_says_how_far_it_got_instead_of_a_bare_cancelled()
    {
        var (_, torrent) = await CliContent.CreateAsync(_temp, "data");
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();

        var error = await Assert.ThrowsAsync<GodotTorrent.Cli.CliException>(() => GodotTorrent.Cli.Commands.CheckCommand.CheckAsync(torrent, _temp.Combine("data"), null, stop.Token));

        Assert.Equal($"cancelled while checking: 0 B of {GodotTorrent.Cli.Output.ByteSize.Format(torrent.TotalSize)} checked, 0 of 0 pieces valid so far", error.Message);
    }
}
