using System.Text.Json;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// The npm <c>bittorrent-tracker</c> server (tools/tracker/tracker_server.mjs) on 127.0.0.1, HTTP
/// and UDP on their own ports. It runs from the source tree, where scripts/install-deps.sh put its
/// node_modules; it exits when its stdin closes or after a bounded lifetime, and Dispose kills it by PID.
/// </summary>
public sealed class NodeTracker : IDisposable
{
    private readonly ToolProcess _process;

    private NodeTracker(ToolProcess process, int httpPort, int udpPort)
    {
        _process = process;
        HttpPort = httpPort;
        UdpPort = udpPort;
    }

    public int HttpPort { get; }

    public int UdpPort { get; }

    public string HttpAnnounceUrl => $"http://127.0.0.1:{HttpPort}/announce";

    public string UdpAnnounceUrl => $"udp://127.0.0.1:{UdpPort}";

    /// <summary>tests/GodotTorrent.Interop/tools/tracker in the source tree.</summary>
    public static string Folder
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "GodotTorrent.slnx")))
                {
                    return Path.Combine(dir.FullName, "tests", "GodotTorrent.Interop", "tools", "tracker");
                }
            }

            throw new InvalidOperationException("The repository root (GodotTorrent.slnx) is not above " + AppContext.BaseDirectory);
        }
    }

    public static async Task<NodeTracker> StartAsync(TimeSpan lifetime)
    {
        string folder = Folder;
        if (!File.Exists(Path.Combine(folder, "node_modules", "bittorrent-tracker", "package.json")))
        {
            throw new InvalidOperationException($"bittorrent-tracker is not installed in {folder}: run scripts/install-deps.sh");
        }

        var process = ToolProcess.Start("node", ["tracker_server.mjs", ((int)lifetime.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture)], folder);
        try
        {
            string line = await process.WaitForLineAsync(l => l.StartsWith("{\"http\"", StringComparison.Ordinal), TimeSpan.FromSeconds(20));
            using var json = JsonDocument.Parse(line);
            return new NodeTracker(process, json.RootElement.GetProperty("http").GetInt32(), json.RootElement.GetProperty("udp").GetInt32());
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public void Dispose() => _process.Dispose();
}
