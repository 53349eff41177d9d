using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GodotTorrent.Tests.Cli;

/// <summary>
/// What a person at a terminal does: presses Ctrl-C (a real SIGINT to a real gdtorrent process,
/// not a cancelled token in-process), or names a port another program holds.
/// </summary>
public sealed class SignalAndPortTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_explicit_port_in_use_fails_the_command_instead_of_listening_nowhere()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        string port = ((IPEndPoint)holder.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var seed = await CliRunner.RunAsync("seed", torrentPath, "--data", _temp.Combine("seed"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--port", port, "--timeout", "30");
        var download = await CliRunner.RunAsync("download", torrentPath, "--out", _temp.Combine("out"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--port", port, "--timeout", "30");

        foreach (var result in new[] { seed, download })
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains($"--port {port}: cannot listen on 127.0.0.1:{port}", result.ErrorLines[^1], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Ctrl_C_stops_a_seed_cleanly_with_its_summary()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");
        using var seed = GdTorrent.Start("seed", torrentPath, "--data", _temp.Combine("seed"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--port", "0");

        await seed.WaitForTextAsync("until Ctrl-C", Bound);
        seed.Interrupt();
        int exit = await seed.WaitForExitAsync(Bound);

        Assert.True(exit == 0, seed.ToString());
        Assert.Contains("Seeded ", seed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_stops_the_demo_which_removes_its_folder()
    {
        // Big enough that the demo is still writing its sample data when the signal comes.
        using var demo = GdTorrent.Start("demo", "--size", "1024");

        await demo.WaitForTextAsync("Working folder:", Bound);
        demo.Interrupt();
        int exit = await demo.WaitForExitAsync(Bound);

        Assert.True(exit == 1, demo.ToString());
        Assert.Contains("cancelled", demo.Error, StringComparison.Ordinal);
        string folder = demo.ToString().Split('\n').Select(l => l.Trim()).First(l => l.StartsWith("Removed ", StringComparison.Ordinal))["Removed ".Length..];
        Assert.False(Directory.Exists(folder), $"{folder} is left behind\n{demo}");
    }

    [Fact]
    public async Task Ctrl_C_stops_a_download_with_its_summary_a_stopped_event_and_exit_code_1()
    {
        var (torrentPath, torrent) = await CliContent.CreateAsync(_temp, "seed");
        // No peer: the download waits until the signal comes.
        using var json = GdTorrent.Start("download", torrentPath, "--out", _temp.Combine("json"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping", "--json");
        using var text = GdTorrent.Start("download", torrentPath, "--out", _temp.Combine("text"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping");

        await json.WaitForTextAsync("\"event\":\"status\"", Bound);
        // The first progress line: the torrent is added and watched (a signal before that says only "cancelled").
        await text.WaitForTextAsync(" 0.0%", Bound);
        json.Interrupt();
        text.Interrupt();
        int jsonExit = await json.WaitForExitAsync(Bound);
        int textExit = await text.WaitForExitAsync(Bound);

        Assert.True(jsonExit == 1, json.ToString());
        var last = System.Text.Json.JsonDocument.Parse(json.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal("stopped", last.GetProperty("event").GetString());
        Assert.Equal(torrent.PieceCount, last.GetProperty("piece_count").GetInt32());
        Assert.True(textExit == 1, text.ToString());
        Assert.Contains($"gdtorrent: error: cancelled: 0 of {torrent.PieceCount} pieces (0.0%)", text.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_stops_a_json_seed_with_a_stopped_event_and_exit_code_0()
    {
        var (torrentPath, _) = await CliContent.CreateAsync(_temp, "seed");
        using var seed = GdTorrent.Start("seed", torrentPath, "--data", _temp.Combine("seed"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping", "--json");

        await seed.WaitForTextAsync("\"event\":\"status\"", Bound);
        seed.Interrupt();
        int exit = await seed.WaitForExitAsync(Bound);

        Assert.True(exit == 0, seed.ToString());
        var last = System.Text.Json.JsonDocument.Parse(seed.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal("stopped", last.GetProperty("event").GetString());
    }

    [Fact]
    public async Task Ctrl_C_stops_a_seedbox_cleanly_with_its_state_saved_and_exit_code_0()
    {
        var (torrentPath, torrent) = await CliContent.CreateAsync(_temp, "box");
        File.Move(torrentPath, _temp.Combine("box", "pack.torrent"));
        using var seedbox = GdTorrent.Start("seedbox", _temp.Combine("box"), "--listen", "127.0.0.1", "--no-dht", "--no-lsd", "--no-port-mapping", "--json");

        await seedbox.WaitForTextAsync("\"event\":\"status\"", Bound);
        seedbox.Interrupt();
        int exit = await seedbox.WaitForExitAsync(Bound);

        Assert.True(exit == 0, seedbox.ToString());
        var last = System.Text.Json.JsonDocument.Parse(seedbox.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement;
        Assert.Equal("stopped", last.GetProperty("event").GetString());
        Assert.True(File.Exists(_temp.Combine("box", ".gdtorrent-seedbox", "resume", torrent.InfoHashes.Primary.ToHex() + ".resume")), seedbox.ToString());
    }

    /// <summary>gdtorrent as its own process (the build copies it beside the tests), its output captured.</summary>
    private sealed class GdTorrent : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _out = new();
        private readonly StringBuilder _error = new();

        private GdTorrent(Process process)
        {
            _process = process;
        }

        public string Out
        {
            get
            {
                lock (_out)
                {
                    return _out.ToString();
                }
            }
        }

        public string Error
        {
            get
            {
                lock (_error)
                {
                    return _error.ToString();
                }
            }
        }

        public static GdTorrent Start(params string[] args)
        {
            // env resets SIGINT to its default: a shell starting the tests in the background leaves it
            // ignored, and an ignored SIGINT stays ignored in the child, as for any program.
            var info = new ProcessStartInfo("env")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            info.ArgumentList.Add("--default-signal=INT");
            info.ArgumentList.Add("dotnet");
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gdtorrent.dll"));
            foreach (string arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            var process = new Process { StartInfo = info };
            var run = new GdTorrent(process);
            process.OutputDataReceived += (_, e) => Append(run._out, e.Data);
            process.ErrorDataReceived += (_, e) => Append(run._error, e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return run;
        }

        /// <summary>Waits (bounded) until stdout or stderr holds <paramref name="text"/>; returns the line.</summary>
        public async Task<string> WaitForTextAsync(string text, TimeSpan bound)
        {
            var deadline = DateTime.UtcNow + bound;
            while (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                if (ToString().Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
                {
                    return line;
                }

                await Task.Delay(50);
            }

            throw new TimeoutException($"gdtorrent never wrote '{text}'\n{this}");
        }

        /// <summary>A real SIGINT, as Ctrl-C in a terminal sends.</summary>
        public void Interrupt()
        {
            using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }

        public async Task<int> WaitForExitAsync(TimeSpan bound)
        {
            using var timeout = new CancellationTokenSource(bound);
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        public override string ToString()
        {
            lock (_out)
            {
                return $"--- stdout\n{_out}--- stderr\n{Error}";
            }
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }

            _process.Dispose();
        }

        private static void Append(StringBuilder builder, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (builder)
            {
                builder.Append(line).Append('\n');
            }
        }
    }
}
