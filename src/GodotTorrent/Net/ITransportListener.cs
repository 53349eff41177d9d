using System.Net;

namespace GodotTorrent.Net;

/// <summary>A listening endpoint that yields incoming peer connections.</summary>
internal interface ITransportListener : IAsyncDisposable
{
    /// <summary>The bound endpoint, with the real port when 0 was asked for.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Waits for the next incoming connection.</summary>
    ValueTask<IPeerConnectionStream> AcceptAsync(CancellationToken cancellationToken);
}
