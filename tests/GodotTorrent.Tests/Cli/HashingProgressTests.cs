using GodotTorrent.Cli.Output;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Cli;

public sealed class HashingProgressTests
{
    [Fact]
    public void Draws_on_one_line_and_clears_it()
    {
        using var output = new StringWriter();
        var progress = new HashingProgress(output);

        progress.Report(new TorrentCreationProgress(0, 4 << 20, 0, 16));
        progress.Report(new TorrentCreationProgress(1 << 20, 4 << 20, 4, 16)); // within 100 ms: skipped
        progress.Report(new TorrentCreationProgress(4 << 20, 4 << 20, 16, 16)); // the last one is always drawn
        progress.Clear();
        progress.Report(new TorrentCreationProgress(4 << 20, 4 << 20, 16, 16)); // after Clear: ignored

        string text = output.ToString();
        Assert.DoesNotContain('\n', text);
        Assert.Equal(
            "\rHashing   0%  0 B of 4 MiB" + "\rHashing 100%  4 MiB of 4 MiB" + "\r\u001b[2K",
            text);
    }

    [Fact]
    public void Clearing_also_erases_a_ctrl_c_the_terminal_echoed_after_the_line()
    {
        using var output = new StringWriter { NewLine = "\n" };
        var progress = new HashingProgress(output);

        progress.Report(new TorrentCreationProgress(1 << 20, 4 << 20, 4, 16));
        output.Write("^C"); // what the terminal itself prints at the cursor when Ctrl-C is pressed
        progress.Clear();
        output.WriteLine("Removed /tmp/x");

        Assert.Equal(["Removed /tmp/x"], VirtualTerminal.Replay(output.ToString(), 80));
    }

    [Fact]
    public void A_check_of_data_on_disk_draws_its_own_line()
    {
        using var output = new StringWriter();
        var progress = new HashingProgress(output);

        progress.Report(new GodotTorrent.Storage.CheckProgress(8, 16, 8, 2 << 20, 4 << 20));
        progress.Clear();

        Assert.Equal("\rChecking  50%  2 MiB of 4 MiB" + "\r\u001b[2K", output.ToString());
    }
}
