using System.Globalization;
using System.Net;
using GodotTorrent.Session;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Nat.Upnp;

/// <summary>
/// The UPnP IGD port mapper (IGD 1 and 2, WANIPConnection and WANPPPConnection): one worker on the
/// background runner finds the gateway by SSDP, reads its description, maps each wanted port with
/// AddPortMapping (lease 3600 s, renewed at half; 725 means lease 0; 718 means another external
/// port), removes ports no longer wanted, and reports through the sink. No gateway: searched
/// for again with a doubling back-off. A gateway that stops answering is searched for again too.
/// </summary>
#pragma warning disable CA1001 // StopAsync, which the session always calls, disposes them once the worker is done.
internal sealed class UpnpMapper : IPortMapper
#pragma warning restore CA1001
{
    private readonly PortMapperContext _context;
    private readonly UpnpOptions _options;
    private readonly ILogger _logger;
    private readonly UpnpHttp _http;
    private readonly SsdpSearch _search;
    private readonly Random _random;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly Dictionary<(PortMappingTransport, int), UpnpMapping> _mappings = [];
    private IReadOnlyList<PortMapRequest> _wanted = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _worker;
    private Task? _stopping;
    private UpnpGateway? _gateway;
    private IPAddress? _external;
    private DateTimeOffset _nextSearch = DateTimeOffset.MinValue;
    private TimeSpan _searchDelay;
    private bool _notFoundReported;

    public UpnpMapper(PortMapperContext context, UpnpOptions options)
    {
        _context = context;
        _options = options;
        _logger = context.LoggerFactory.CreateLogger<UpnpMapper>();
        _http = new UpnpHttp(context.CreateHttpHandler(), options, context.Time);
        _search = new SsdpSearch(options, context.Time, _logger);
        _random = context.CreateRandom();
        _searchDelay = options.RetryDelay;
    }

    /// <summary>The production factory: the real SSDP group and interfaces.</summary>
    public static IPortMapper Create(PortMapperContext context) => new UpnpMapper(context, UpnpOptions.Default);

    public void Map(IReadOnlyList<PortMapRequest> requests)
    {
        lock (_gate)
        {
            if (_stopping is not null)
            {
                return;
            }

            _wanted = requests;
            _worker ??= _context.Background.Run(RunAsync);
            _wake.TrySetResult();
        }
    }

    public Task StopAsync()
    {
        lock (_gate)
        {
            return _stopping ??= _context.Background.Run(StopCoreAsync);
        }
    }

    private async Task StopCoreAsync()
    {
        _stop.Cancel();
        Task? worker;
        lock (_gate)
        {
            worker = _worker;
        }

        if (worker is not null)
        {
            try
            {
                await worker.ConfigureAwait(true);
            }
#pragma warning disable CA1031 // Whatever ended the worker, what it mapped is still removed.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.LogError(e, "UPnP port mapping ended with an error");
            }
        }

        // The worker is done: its table is ours now. Removals run side by side within one budget.
        using var budget = new CancellationTokenSource(_options.StopBudget, _context.Time);
        var removals = _mappings.Values.Where(m => m.Mapped).Select(m => RemoveAsync(m, budget.Token)).ToList();
        await Task.WhenAll(removals).ConfigureAwait(true);
        _mappings.Clear();
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Task wake;
            IReadOnlyList<PortMapRequest> wanted;
            lock (_gate)
            {
                if (_wake.Task.IsCompleted)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                wake = _wake.Task;
                wanted = _wanted;
            }

            DateTimeOffset? due;
            try
            {
                due = await StepAsync(wanted, token).ConfigureAwait(true);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A bug here must not end port mapping for the session's life: log it, try later.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _logger.LogError(e, "UPnP port mapping failed unexpectedly");
                due = _context.Time.GetUtcNow() + _options.RetryDelay;
            }

            using var sleep = CancellationTokenSource.CreateLinkedTokenSource(token);
            // A permanent lease is due never: wake once a day all the same (timers have a longest delay).
            var delay = due is { } at && at < DateTimeOffset.MaxValue ? Min(at - _context.Time.GetUtcNow(), TimeSpan.FromDays(1)) : Timeout.InfiniteTimeSpan;
            if (delay > TimeSpan.Zero || delay == Timeout.InfiniteTimeSpan)
            {
                var timer = Task.Delay(delay, _context.Time, sleep.Token);
                await Task.WhenAny(wake, timer).ConfigureAwait(true);
                sleep.Cancel();
            }
        }
    }

    // One round: forget unwanted ports, find a gateway if needed, map what is due. Returns when to come back.
    private async Task<DateTimeOffset?> StepAsync(IReadOnlyList<PortMapRequest> wanted, CancellationToken token)
    {
        var keys = new HashSet<(PortMappingTransport, int)>();
        foreach (var request in wanted)
        {
            if (keys.Add((request.Transport, request.InternalPort)) && !_mappings.ContainsKey((request.Transport, request.InternalPort)))
            {
                _mappings[(request.Transport, request.InternalPort)] = new UpnpMapping(request, _options.LeaseSeconds, _options.RetryDelay);
            }
        }

        foreach (var (key, mapping) in _mappings.Where(m => !keys.Contains(m.Key)).ToList())
        {
            _mappings.Remove(key);
            if (mapping.Mapped && _gateway is not null)
            {
                await RemoveAsync(mapping, token).ConfigureAwait(true);
            }
        }

        if (_mappings.Count == 0)
        {
            return null;
        }

        if (_gateway is null)
        {
            if (_context.Time.GetUtcNow() < _nextSearch)
            {
                return _nextSearch;
            }

            if (!await FindGatewayAsync(token).ConfigureAwait(true))
            {
                return _nextSearch;
            }
        }

        foreach (var mapping in _mappings.Values.Where(m => m.DueAt <= _context.Time.GetUtcNow()).ToList())
        {
            try
            {
                await MapAsync(mapping, token).ConfigureAwait(true);
            }
            catch (TorrentException e) when (e.ErrorCode is ErrorCode.GatewayTimeout or ErrorCode.GatewayNotFound)
            {
                Fail(mapping, e.ErrorCode, e.Message);
                LoseGateway(e.Message);
                return _nextSearch;
            }
            catch (TorrentException e)
            {
                Fail(mapping, e.ErrorCode, e.Message);
            }
        }

        return _mappings.Values.Min(m => m.DueAt);
    }

    private async Task<bool> FindGatewayAsync(CancellationToken token)
    {
        _gateway = null;
        await _search.SearchAsync(
            async (response, local) =>
            {
                try
                {
                    byte[] xml = await _http.GetAsync(response.Location, token).ConfigureAwait(true);
                    var service = UpnpDescription.Parse(xml, response.Location);
                    _gateway = new UpnpGateway(IPAddress.Parse(response.Location.Host), service, local);
                    return true;
                }
                catch (TorrentException e)
                {
                    _context.Sink.Failed(PortMappingMechanism.Upnp, null, 0, e.ErrorCode, e.Message);
                    return false;
                }
            },
            reason => _context.Sink.Failed(PortMappingMechanism.Upnp, null, 0, ErrorCode.GatewayBadReply, reason),
            token).ConfigureAwait(true);

        if (_gateway is not { } gateway)
        {
            if (!_notFoundReported)
            {
                _notFoundReported = true;
                _context.Sink.Failed(PortMappingMechanism.Upnp, null, 0, ErrorCode.GatewayNotFound, "no UPnP internet gateway answered on the local network");
            }

            ScheduleSearch();
            return false;
        }

        _logger.LogInformation("UPnP gateway {Gateway}: {Service} at {Control}", gateway.Address, gateway.Service.ServiceType, gateway.Service.ControlUrl);
        _notFoundReported = false;
        _searchDelay = _options.RetryDelay;
        foreach (var mapping in _mappings.Values)
        {
            mapping.DueAt = DateTimeOffset.MinValue;
            mapping.RetryDelay = _options.RetryDelay;
        }

        try
        {
            var reply = await _http.InvokeAsync(gateway.Service, "GetExternalIPAddress", [], token).ConfigureAwait(true);
            if (reply.IsFault)
            {
                _logger.LogInformation("UPnP gateway {Gateway} gave no external address: {Fault}", gateway.Address, reply.FaultText);
            }
            else if (IPAddress.TryParse(reply.Values.GetValueOrDefault("NewExternalIPAddress"), out var external) && !external.Equals(IPAddress.Any))
            {
                _external = external;
                _context.Sink.ExternalAddress(PortMappingMechanism.Upnp, external);
            }
        }
        catch (TorrentException e) when (e.ErrorCode is ErrorCode.GatewayTimeout or ErrorCode.GatewayNotFound)
        {
            _context.Sink.Failed(PortMappingMechanism.Upnp, null, 0, e.ErrorCode, e.Message);
            LoseGateway(e.Message);
            return false;
        }
        catch (TorrentException e)
        {
            _logger.LogInformation("UPnP gateway {Gateway} gave no external address: {Reason}", gateway.Address, e.Message);
        }

        return true;
    }

    // AddPortMapping, UPnP IGD WANIPConnection:1 section 2.4.16 (also a renewal: same arguments).
    private async Task MapAsync(UpnpMapping mapping, CancellationToken token)
    {
        var gateway = _gateway!;
        var request = mapping.Request;
        var local = request.LocalAddress.Equals(IPAddress.Any) ? gateway.LocalAddress : request.LocalAddress;
        int conflicts = 0;
        while (true)
        {
            var reply = await _http.InvokeAsync(
                gateway.Service,
                "AddPortMapping",
                [
                    ("NewRemoteHost", string.Empty),
                    ("NewExternalPort", Text(mapping.ExternalPort)),
                    ("NewProtocol", Protocol(request.Transport)),
                    ("NewInternalPort", Text(request.InternalPort)),
                    ("NewInternalClient", local.ToString()),
                    ("NewEnabled", "1"),
                    ("NewPortMappingDescription", _options.Description),
                    ("NewLeaseDuration", Text(mapping.LeaseSeconds)),
                ],
                token).ConfigureAwait(true);
            if (!reply.IsFault)
            {
                break;
            }

            if (reply.FaultCode == UpnpSoapReply.OnlyPermanentLeasesSupported && mapping.LeaseSeconds != 0)
            {
                mapping.LeaseSeconds = 0;
            }
            else if (reply.FaultCode == UpnpSoapReply.ConflictInMappingEntry && conflicts++ < _options.ConflictRetries)
            {
                mapping.ExternalPort = _random.Next(1024, 65536);
            }
            else if (reply.FaultCode is UpnpSoapReply.ConflictInMappingEntry or UpnpSoapReply.SamePortValuesRequired)
            {
                mapping.ExternalPort = request.InternalPort;
                Fail(mapping, ErrorCode.PortMapConflict, $"the external port is mapped to another host and {conflicts} other ports were refused ({reply.FaultText})");
                return;
            }
            else
            {
                Fail(mapping, ErrorCode.PortMapRefused, reply.FaultText);
                return;
            }
        }

        var now = _context.Time.GetUtcNow();
        mapping.Mapped = true;
        mapping.RetryDelay = _options.RetryDelay;
        mapping.DueAt = mapping.LeaseSeconds == 0 ? DateTimeOffset.MaxValue : now + TimeSpan.FromSeconds(mapping.LeaseSeconds / 2.0);
        var expires = mapping.LeaseSeconds == 0 ? DateTimeOffset.MaxValue : now + TimeSpan.FromSeconds(mapping.LeaseSeconds);
        _logger.LogInformation("UPnP mapped {Transport} {External} -> {Local}:{Port}", request.Transport, mapping.ExternalPort, local, request.InternalPort);
        _context.Sink.Mapped(new PortMapping(PortMappingMechanism.Upnp, request.Transport, request.InternalPort, mapping.ExternalPort, _external, expires));
    }

    // DeletePortMapping (section 2.4.17); a gateway that does not answer keeps the mapping until its lease ends.
    private async Task RemoveAsync(UpnpMapping mapping, CancellationToken token)
    {
        var gateway = _gateway;
        mapping.Mapped = false;
        try
        {
            if (gateway is not null)
            {
                var reply = await _http.InvokeAsync(
                    gateway.Service,
                    "DeletePortMapping",
                    [("NewRemoteHost", string.Empty), ("NewExternalPort", Text(mapping.ExternalPort)), ("NewProtocol", Protocol(mapping.Request.Transport))],
                    token).ConfigureAwait(true);
                if (reply.IsFault)
                {
                    _logger.LogInformation("UPnP could not remove {Transport} {Port}: {Fault}", mapping.Request.Transport, mapping.ExternalPort, reply.FaultText);
                }
            }
        }
        catch (Exception e) when (e is TorrentException or OperationCanceledException)
        {
            _logger.LogInformation("UPnP could not remove {Transport} {Port}: {Reason}", mapping.Request.Transport, mapping.ExternalPort, e.Message);
        }
        finally
        {
            _context.Sink.Unmapped(PortMappingMechanism.Upnp, mapping.Request.Transport, mapping.Request.InternalPort);
        }
    }

    private void Fail(UpnpMapping mapping, ErrorCode error, string reason)
    {
        mapping.Mapped = false;
        mapping.DueAt = _context.Time.GetUtcNow() + mapping.RetryDelay;
        mapping.RetryDelay = Min(mapping.RetryDelay + mapping.RetryDelay, _options.MaxRetryDelay);
        _context.Sink.Failed(PortMappingMechanism.Upnp, mapping.Request.Transport, mapping.Request.InternalPort, error, reason);
    }

    // The gateway stopped answering: what it held for us is unknown now; search again later.
    private void LoseGateway(string reason)
    {
        _logger.LogInformation("UPnP gateway {Gateway} lost: {Reason}", _gateway?.Address, reason);
        _gateway = null;
        foreach (var mapping in _mappings.Values.Where(m => m.Mapped))
        {
            mapping.Mapped = false;
            _context.Sink.Unmapped(PortMappingMechanism.Upnp, mapping.Request.Transport, mapping.Request.InternalPort);
        }

        ScheduleSearch();
    }

    private void ScheduleSearch()
    {
        _nextSearch = _context.Time.GetUtcNow() + _searchDelay;
        _searchDelay = Min(_searchDelay + _searchDelay, _options.MaxRetryDelay);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Protocol(PortMappingTransport transport) => transport == PortMappingTransport.Tcp ? "TCP" : "UDP";
}
