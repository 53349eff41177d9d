using System.Net;
using System.Net.Sockets;
using GodotTorrent.Alerts;
using GodotTorrent.Net;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Session;

/// <summary>
/// Where the session listens: opens its listeners from the settings, reports each outcome as an
/// alert, and tells whether new settings need a rebind. Listen entries naming interfaces
/// (<see cref="SessionSettings.ListenInterfaces"/>) are resolved here, against the machine's
/// interfaces as they are at each open. Engine loop only.
/// </summary>
internal sealed class SessionListening(ILogger logger, AlertManager alerts, Func<IReadOnlyList<LocalInterface>> interfaces) : IAsyncDisposable
{
    private readonly ListenerSet _listeners = new(logger);

    /// <summary>The bound endpoints (the first one's port is the one announced).</summary>
    public IReadOnlyList<IPEndPoint> EndPoints { get; private set; } = [];

    /// <summary>Where the last open could not listen.</summary>
    public IReadOnlyList<ListenFailedAlert> Failures { get; private set; } = [];

    /// <summary>The addresses the settings ask for, without IPv6 when it is off or missing.</summary>
    public static IEnumerable<IPAddress> Addresses(SessionSettings settings) => settings.ListenAddresses.Where(a =>
        a.AddressFamily != AddressFamily.InterNetworkV6 || (settings.EnableIPv6 && Socket.OSSupportsIPv6));

    /// <summary>
    /// Where the settings ask to listen: <see cref="SessionSettings.ListenInterfaces"/> resolved
    /// against <paramref name="machine"/> when there are any, else <see cref="Addresses"/> on the
    /// session's port. Names that gave no address come back without one.
    /// </summary>
    public static IReadOnlyList<ListenTarget> Targets(SessionSettings settings, Func<IReadOnlyList<LocalInterface>> machine) =>
        settings.ListenInterfaces.Count == 0
            ? Addresses(settings).Select(a => new ListenTarget(a, null)).ToList()
            : InterfaceResolver.Listen(settings.ListenInterfaces, settings.ListenInterfaces.Any(IsName) ? machine() : [], settings.EnableIPv6);

    /// <summary>Whether going from <paramref name="old"/> to <paramref name="now"/> needs the listeners rebound.</summary>
    public static bool NeedsRebind(SessionSettings old, SessionSettings now, ConnectionPolicy connections) =>
        old.ListenPort != now.ListenPort || old.ListenPortRange != now.ListenPortRange
        || old.EnableIPv6 != now.EnableIPv6 || !old.ListenAddresses.SequenceEqual(now.ListenAddresses)
        || !old.ListenInterfaces.SequenceEqual(now.ListenInterfaces)
        || !connections.Listening.SequenceEqual(connections.ListeningWith(old));

    /// <summary>Binds every listening transport on every address of the settings.</summary>
    public void Open(SessionSettings settings, IReadOnlyList<ITransport> transports, Action<IPeerConnectionStream> onAccepted)
    {
        var failures = new List<ListenFailedAlert>();
        var targets = Targets(settings, interfaces);
        foreach (var missing in targets.Where(t => t.Address is null))
        {
            var failed = new ListenFailedAlert(IPAddress.Any, missing.Port ?? settings.ListenPort, missing.Failure!) { InterfaceName = missing.InterfaceName };
            logger.LogWarning("Cannot listen on interface {Interface}: {Reason}", missing.InterfaceName, missing.Failure);
            failures.Add(failed);
            alerts.Post(failed);
        }

        _listeners.Open(transports, targets.Where(t => t.Address is not null), settings.ListenPort, settings.ListenPortRange, onAccepted,
            outcome =>
            {
                if (outcome.Bound is { } bound)
                {
                    alerts.Post(new ListenSucceededAlert(bound) { Transport = outcome.Transport });
                    return;
                }

                var failed = new ListenFailedAlert(outcome.Address, outcome.Port, outcome.Failure!) { Transport = outcome.Transport, InterfaceName = outcome.InterfaceName };
                failures.Add(failed);
                alerts.Post(failed);
            });
        EndPoints = _listeners.EndPoints;
        Failures = failures;
    }

    /// <summary>Stops accepting and closes every listener.</summary>
    public ValueTask CloseAsync() => _listeners.CloseAsync();

    private static bool IsName(string entry) => ListenEntry.Parse(entry, allowPort: true, out _) is { InterfaceName: not null };

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _listeners.DisposeAsync();
}
