using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Net;

/// <summary>
/// The session's listening endpoints (every transport on every listen address) and their accept
/// loops. Opened and closed on the engine loop; accepted connections go to a callback on the
/// accepting thread.
/// </summary>
internal sealed class ListenerSet(ILogger logger) : IAsyncDisposable
{
    private readonly List<ITransportListener> _listeners = [];
    private CancellationTokenSource? _accepting;

    /// <summary>The bound endpoints, in the order opened (the first one's port is the one we announce).</summary>
    public IReadOnlyList<IPEndPoint> EndPoints { get; private set; } = [];

    /// <summary>
    /// Binds every transport on every target, trying <paramref name="attempts"/> ports from the
    /// target's own port or else <paramref name="port"/>; every target without its own port after
    /// the first reuses the first one's port when it can, so peers told one port reach us on all.
    /// TCP and uTP of one target share a port. Reports each success and failure.
    /// </summary>
    public void Open(IReadOnlyList<ITransport> transports, IEnumerable<ListenTarget> targets, int port, int attempts,
        Action<IPeerConnectionStream> onAccepted, Action<ListenOutcome> report)
    {
        _accepting = new CancellationTokenSource();
        var bound = new List<IPEndPoint>();
        int? shared = null;
        foreach (var target in targets)
        {
            var address = target.Address ?? throw new ArgumentException("A target without an address cannot be listened on.", nameof(targets));
            int? targetPort = null;
            foreach (var transport in transports)
            {
                int firstPort = targetPort ?? target.Port ?? shared ?? port;
                // An entry's own port near the top leaves fewer ports of the range than asked.
                int tries = firstPort == 0 ? 1 : Math.Min(attempts, 65536 - firstPort);
                ITransportListener? listener = null;
                string reason = "no port was free";
                for (int i = 0; i < tries && listener is null; i++)
                {
                    try
                    {
                        listener = transport.Listen(new IPEndPoint(address, firstPort + i));
                    }
                    catch (SocketException e)
                    {
                        reason = e.Message;
                    }
                }

                if (listener is null)
                {
                    report(new ListenOutcome(address, firstPort, null, reason, transport.Kind) { InterfaceName = target.InterfaceName });
                    continue;
                }

                _listeners.Add(listener);
                targetPort ??= listener.LocalEndPoint.Port;
                if (target.Port is null)
                {
                    shared ??= listener.LocalEndPoint.Port;
                }

                if (!bound.Contains(listener.LocalEndPoint))
                {
                    bound.Add(listener.LocalEndPoint);
                }

                report(new ListenOutcome(address, firstPort, listener.LocalEndPoint, null, transport.Kind) { InterfaceName = target.InterfaceName });
                _ = AcceptLoopAsync(listener, onAccepted, _accepting.Token);
            }
        }

        EndPoints = bound;
    }

    /// <summary>Stops accepting and closes every listener.</summary>
    public async ValueTask CloseAsync()
    {
        if (_accepting is { } accepting)
        {
            // Cancel, not CancelAsync: the accept loops end inline on this thread (the engine loop)
            // rather than on the thread pool, which a simulated session could not wait for.
#pragma warning disable CA1849 // The callbacks only end pending accepts.
            accepting.Cancel();
#pragma warning restore CA1849
            accepting.Dispose();
            _accepting = null;
        }

        foreach (var listener in _listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        _listeners.Clear();
        EndPoints = [];
    }

    public ValueTask DisposeAsync() => CloseAsync();

    private async Task AcceptLoopAsync(ITransportListener listener, Action<IPeerConnectionStream> onAccepted, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            IPeerConnectionStream stream;
            try
            {
                stream = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                logger.LogDebug(e, "Accept failed on {EndPoint}", listener.LocalEndPoint);
                continue;
            }

            onAccepted(stream);
        }
    }
}
