using System.Globalization;
using System.Net;
using System.Text.Json;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// The scripted liar (tools/liar_peer.py) on 127.0.0.1: claims every piece, answers every request
/// with random bytes (with a burst, that many at a time between a choke and an unchoke). Killed by
/// PID on dispose; what it printed tells how often it was dialled and how many blocks it sent.
/// </summary>
public sealed class LiarPeer : IDisposable
{
    private readonly ToolProcess _process;

    private LiarPeer(ToolProcess process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

    public int Connections => _process.StandardOutput.Split('\n').Count(l => l.Contains("\"connection\"", StringComparison.Ordinal));

    /// <summary>Blocks sent, as of the last connection that closed.</summary>
    public long Blocks => _process.StandardOutput.Split('\n')
        .Where(l => l.Contains("\"closed\"", StringComparison.Ordinal))
        .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("blocks").GetInt64())
        .DefaultIfEmpty(0)
        .Max();

    /// <summary>Starts a liar for the torrent whose handshake carries <paramref name="wireHashHex"/> (40 hex digits).</summary>
    public static async Task<LiarPeer> StartAsync(string wireHashHex, int pieces, int burst)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "tools", "liar_peer.py");
        var process = ToolProcess.Start(Libtorrent.Python, [script, "--info-hash", wireHashHex, "--pieces", pieces.ToString(CultureInfo.InvariantCulture), "--burst", burst.ToString(CultureInfo.InvariantCulture), "--timeout", "150"]);
        try
        {
            var line = await process.WaitForLineAsync(l => l.Contains("\"listening\"", StringComparison.Ordinal), LibtorrentPeer.StartTimeout);
            using var doc = JsonDocument.Parse(line);
            return new LiarPeer(process, doc.RootElement.GetProperty("port").GetInt32());
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    public void Dispose() => _process.Dispose();
}
