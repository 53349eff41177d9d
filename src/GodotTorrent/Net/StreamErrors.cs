using System.Net.Sockets;

namespace GodotTorrent.Net;

/// <summary>What a connection stream throws when the peer resets or the socket is gone: the peer hung up, as a clean close says.</summary>
internal static class StreamErrors
{
    public static bool IsReset(Exception e) => e is IOException or SocketException or ObjectDisposedException;
}
