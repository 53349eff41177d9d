using System.Net;
using System.Net.Sockets;
using GodotTorrent.Alerts;
using GodotTorrent.Engine;
using GodotTorrent.Session;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Nat;

/// <summary>
/// The session's port mapping: runs a UPnP and a NAT-PMP mapper while their settings are on, asks
/// them to map the listen ports (TCP and UDP), and turns their reports into alerts, the
/// <see cref="Mappings"/> list and the session's external address. Engine loop only, except
/// <see cref="Mappings"/>, which any thread may read.
/// </summary>
internal sealed class SessionPortMapping : ISessionPart, IPortMapSink
{
    private readonly EngineServices _services;
    private readonly Func<SessionSettings> _settings;
    private readonly AlertManager _alerts;
    private readonly EngineLoop _loop;
    private readonly Action<IPAddress> _externalAddress;
    private readonly ILogger _logger;
    private readonly Dictionary<PortMappingMechanism, IPortMapper> _mappers = [];
    private readonly Dictionary<(PortMappingMechanism, PortMappingTransport, int), PortMapping> _mapped = [];
    private IReadOnlyList<PortMapRequest> _requests = [];
    private PortMapping[] _snapshot = [];
    private bool _stopped;

    public SessionPortMapping(EngineServices services, Func<SessionSettings> settings, AlertManager alerts, EngineLoop loop, Action<IPAddress> externalAddress)
    {
        _services = services;
        _settings = settings;
        _alerts = alerts;
        _loop = loop;
        _externalAddress = externalAddress;
        _logger = services.LoggerFactory.CreateLogger<SessionPortMapping>();
    }

    /// <summary>The mappings in force now (any thread).</summary>
    public IReadOnlyList<PortMapping> Mappings => Volatile.Read(ref _snapshot);

    /// <summary>The port peers outside reach <paramref name="listenPort"/> on: a TCP mapping's external port (a gateway may grant another), or the port itself (any thread).</summary>
    public int PublicPort(int listenPort) =>
        Mappings.FirstOrDefault(m => m.Transport == PortMappingTransport.Tcp && m.InternalPort == listenPort)?.ExternalPort ?? listenPort;

    /// <summary>The ports worth mapping: each IPv4 listen port that is not loopback, over TCP and UDP.</summary>
    public static IReadOnlyList<PortMapRequest> RequestsFor(IReadOnlyList<IPEndPoint> endPoints)
    {
        var requests = new List<PortMapRequest>();
        foreach (var endPoint in endPoints)
        {
            // A NAT maps IPv4; loopback is never reachable from a gateway anyway.
            if (endPoint.AddressFamily != AddressFamily.InterNetwork || IPAddress.IsLoopback(endPoint.Address))
            {
                continue;
            }

            foreach (var transport in new[] { PortMappingTransport.Tcp, PortMappingTransport.Udp })
            {
                var request = new PortMapRequest(transport, endPoint.Port, endPoint.Address);
                if (!requests.Contains(request))
                {
                    requests.Add(request);
                }
            }
        }

        return requests;
    }

    public void Listening(IReadOnlyList<IPEndPoint> endPoints)
    {
        _requests = RequestsFor(endPoints);
        Update();
    }

    public Task SettingsChangedAsync(SessionSettings old) => Update();

    public async Task StopAsync()
    {
        _stopped = true;
        var stops = _mappers.Values.Select(m => m.StopAsync()).ToList();
        _mappers.Clear();
        await Task.WhenAll(stops).ConfigureAwait(true);
    }

    // Starts the mappers whose setting is on, stops the rest, and hands every mapper the ports.
    private Task Update()
    {
        if (_stopped)
        {
            return Task.CompletedTask;
        }

        var settings = _settings();
        var stops = new List<Task>();
        Want(PortMappingMechanism.Upnp, settings.EnableUpnp, _services.CreateUpnp, stops);
        Want(PortMappingMechanism.NatPmp, settings.EnableNatPmp, _services.CreateNatPmp, stops);
        foreach (var mapper in _mappers.Values)
        {
            mapper.Map(_requests);
        }

        return Task.WhenAll(stops);
    }

    private void Want(PortMappingMechanism mechanism, bool on, PortMapperFactory? factory, List<Task> stops)
    {
        if (on && !_mappers.ContainsKey(mechanism) && factory is not null)
        {
            var context = new PortMapperContext(this, _services.Time, _services.LoggerFactory, _services.CreateHttpHandler, _services.CreateRandom, _services.Background);
            _mappers[mechanism] = factory(context);
        }
        else if (!on && _mappers.Remove(mechanism, out var mapper))
        {
            stops.Add(mapper.StopAsync());
        }
    }

    void IPortMapSink.Mapped(PortMapping mapping) => OnLoop(() =>
    {
        // NAT-PMP and PCP share one mapper: key them under the one that made the mapping.
        _mapped[(mapping.Mechanism, mapping.Transport, mapping.InternalPort)] = mapping;
        Publish();
        _alerts.Post(new PortMapAlert(mapping));
        if (mapping.ExternalAddress is { } address)
        {
            _externalAddress(address);
        }
    });

    void IPortMapSink.Unmapped(PortMappingMechanism mechanism, PortMappingTransport transport, int internalPort) => OnLoop(() =>
    {
        if (_mapped.Remove((mechanism, transport, internalPort)))
        {
            Publish();
        }
    });

    void IPortMapSink.Failed(PortMappingMechanism mechanism, PortMappingTransport? transport, int internalPort, ErrorCode error, string reason) => OnLoop(() =>
    {
        _logger.LogInformation("{Mechanism} port mapping failed ({Error}): {Reason}", mechanism, error, reason);
        if (transport is { } t && _mapped.Remove((mechanism, t, internalPort)))
        {
            Publish();
        }

        _alerts.Post(new PortMapErrorAlert(mechanism, transport, internalPort, error, reason));
    });

    void IPortMapSink.ExternalAddress(PortMappingMechanism mechanism, IPAddress address) => OnLoop(() => _externalAddress(address));

    private void Publish() => Volatile.Write(ref _snapshot, [.. _mapped.Values.OrderBy(m => m.Mechanism).ThenBy(m => m.Transport).ThenBy(m => m.InternalPort)]);

    private void OnLoop(Action action) => _loop.Post(_ => action(), null);
}
