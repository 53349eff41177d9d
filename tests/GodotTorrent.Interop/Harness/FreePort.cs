using System.Net;
using System.Net.Sockets;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// A TCP port that was free on 127.0.0.1 a moment ago: bound to port 0, read back, released.
/// Another process may take it before the tool binds it; tools that can pick their own port
/// (lt_tool.py with --port 0) report it instead, which has no such race.
/// </summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
