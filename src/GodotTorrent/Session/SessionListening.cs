using System.Net;
using System.Net.Sockets;
using GodotTorrent.Alerts;
using GodotTorrent.Net;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Session;

/// <summary>
/// Where the session listens: opens its listeners from the settings, reports each outcome as an
/// alert, and tells whether new settings need a rebind. Engine loop only.
/// </summary>
internal sealed class SessionListening(ILogger logger, AlertManager alerts) : IAsyncDisposable
{
    private readonly ListenerSet _listeners = new(logger);

    /// <summary>The bound endpoints (the first one's port is the one announced).</summary>
    public IReadOnlyList<IPEndPoint> EndPoints { get; private set; } = [];

    /// <summary>Where the last open could not listen.</summary>
    public IReadOnlyList<ListenFailedAlert> Failures { get; private set; } = [];

    /// <summary>The addresses the settings ask for, without IPv6 when it is off or missing.</summary>
    public static IEnumerable<IPAddress> Addresses(SessionSettings settings) => settings.ListenAddresses.Where(a =>
        a.AddressFamily != AddressFamily.InterNetworkV6 || (settings.EnableIPv6 && Socket.OSSupportsIPv6));

    /// <summary>Whether going from <paramref name="old"/> to <paramref name="now"/> needs the listeners rebound.</summary>
    public static bool NeedsRebind(SessionSettings old, SessionSettings now, ConnectionPolicy connections) =>
        old.ListenPort != now.ListenPort || old.ListenPortRange != now.ListenPortRange
        || old.EnableIPv6 != now.EnableIPv6 || !old.ListenAddresses.SequenceEqual(now.ListenAddresses)
        || !connections.Listening.SequenceEqual(connections.ListeningWith(old));

    /// <summary>Binds every listening transport on every address of the settings.</summary>
    public void Open(SessionSettings settings, IReadOnlyList<ITransport> transports, Action<IPeerConnectionStream> onAccepted)
    {
        var failures = new List<ListenFailedAlert>();
        _listeners.Open(transports, Addresses(settings), settings.ListenPort, settings.ListenPortRange, onAccepted,
            outcome =>
            {
                if (outcome.Bound is { } bound)
                {
                    alerts.Post(new ListenSucceededAlert(bound) { Transport = outcome.Transport });
                    return;
                }

                var failed = new ListenFailedAlert(outcome.Address, outcome.Port, outcome.Failure!) { Transport = outcome.Transport };
                failures.Add(failed);
                alerts.Post(failed);
            });
        EndPoints = _listeners.EndPoints;
        Failures = failures;
    }

    /// <summary>Stops accepting and closes every listener.</summary>
    public ValueTask CloseAsync() => _listeners.CloseAsync();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _listeners.DisposeAsync();
}
