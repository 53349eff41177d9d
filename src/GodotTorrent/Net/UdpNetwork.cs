using System.Net;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Net;

/// <summary>The machine's UDP sockets, one <see cref="UdpMultiplexer"/> per bound address.</summary>
internal sealed class UdpNetwork(ILoggerFactory loggers) : IDatagramNetwork
{
    public bool CompletesInline => false;

    public IDatagramSocket Bind(IPEndPoint local) => UdpMultiplexer.Bind(local, loggers.CreateLogger<UdpMultiplexer>());
}
