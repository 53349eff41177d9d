using System.Net;
using System.Net.Sockets;
using GodotTorrent.Session;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Nat.NatPmp;

/// <summary>
/// NAT-PMP (RFC 6886) to the default gateway. One worker task, started when the first port is
/// wanted, asks one request at a time: the external address first, then each mapping, renewals at
/// half the granted lifetime, removals (lifetime 0) for ports no longer wanted and at stop. A gateway
/// whose epoch runs backwards has restarted and lost our mappings: everything is asked again.
/// <see cref="Map"/> only records the wish (engine loop); the worker does the rest and reports
/// through the sink.
/// </summary>
internal sealed class NatPmpMapper : IPortMapper, IDisposable
{
    private static readonly TimeSpan LongestIdle = TimeSpan.FromDays(1);

    private readonly PortMapperContext _context;
    private readonly NatPmpOptions _options;
    private readonly ILogger _logger;
    private readonly object _lock = new();
    private readonly Dictionary<(PortMappingTransport, int), NatPmpEntry> _entries = [];
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _wake = NewWake();
    private Task? _run;
    private bool _stopped;

    // The worker's own state.
    private IPAddress? _external;
    private bool _needExternal = true;
    private DateTimeOffset _gatewayRetryAt = DateTimeOffset.MinValue;
    private uint? _epoch;
    private DateTimeOffset _epochAt;

    public NatPmpMapper(PortMapperContext context, NatPmpOptions options)
    {
        _context = context;
        _options = options;
        _logger = context.LoggerFactory.CreateLogger<NatPmpMapper>();
    }

    private DateTimeOffset Now => _context.Time.GetUtcNow();

    /// <summary>The production mapper: the system's default gateway.</summary>
    public static IPortMapper Create(PortMapperContext context) => new NatPmpMapper(context, NatPmpOptions.Default);

    public void Map(IReadOnlyList<PortMapRequest> requests)
    {
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            foreach (var entry in _entries.Values)
            {
                entry.Wanted = false;
            }

            // NAT-PMP maps for the address the request comes from: one entry per protocol and port.
            foreach (var request in requests)
            {
                var key = (request.Transport, request.InternalPort);
                if (!_entries.TryGetValue(key, out var entry))
                {
                    entry = new NatPmpEntry(request.Transport, request.InternalPort) { Due = Now };
                    _entries.Add(key, entry);
                }

                entry.Wanted = true;
            }

            if (_run is null && _entries.Count > 0)
            {
                _run = _context.Background.Run(RunAsync);
            }

            _wake.TrySetResult();
        }
    }

    public async Task StopAsync()
    {
        Task? run;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            run = _run;
        }

        // Cancelled off the loop: the worker's continuations must not run inline on the engine's thread.
        await _context.Background.Run(() =>
        {
            _stopping.Cancel();
            return Task.CompletedTask;
        }).ConfigureAwait(true);
        if (run is null)
        {
            Dispose();
            return;
        }

        try
        {
            await run.WaitAsync(_options.StopTimeout + TimeSpan.FromSeconds(1), _context.Time).ConfigureAwait(true);
            Dispose();
        }
        catch (TimeoutException)
        {
            _logger.LogWarning("NAT-PMP: the mapper did not stop in time");
        }
    }

    /// <summary>Frees the stop signal once the worker has ended (<see cref="StopAsync"/> does it).</summary>
    public void Dispose() => _stopping.Dispose();

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task RunAsync()
    {
        NatPmpClient? client = null;
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                try
                {
                    client ??= OpenClient();
                    if (client is null || !await StepAsync(client).ConfigureAwait(true))
                    {
                        await IdleAsync().ConfigureAwait(true);
                    }
                }
                catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
                {
                    break;
                }
                catch (SocketException e)
                {
                    Fail(null, 0, ErrorCode.GatewayNotFound, $"cannot reach the gateway {client?.Gateway}: {e.Message}");
                    BackOff();
                    client?.Dispose();
                    client = null;
                }
            }

            if (client is not null)
            {
                await RemoveAllAsync(client).ConfigureAwait(true);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug here must not fail the session's stop: the mappings lapse with their leases.
            _logger.LogError(e, "NAT-PMP: the mapper failed");
        }
        finally
        {
            client?.Dispose();
            ReportAllUnmapped();
        }
    }

    private NatPmpClient? OpenClient()
    {
        if (Now < _gatewayRetryAt)
        {
            return null;
        }

        var gateway = _options.Gateway ?? (DefaultGateway.Find() is { } address ? new IPEndPoint(address, NatPmpMessage.GatewayPort) : null);
        if (gateway is null)
        {
            Fail(null, 0, ErrorCode.GatewayNotFound, "no IPv4 default gateway");
            BackOff();
            return null;
        }

        _logger.LogDebug("NAT-PMP: asking the gateway {Gateway}", gateway);
        return new NatPmpClient(gateway, _context.Time, _options.FirstRetransmit, _logger);
    }

    // Does the most urgent request, if one is due: removals, then the external address, then mappings.
    private async Task<bool> StepAsync(NatPmpClient client)
    {
        var now = Now;
        NatPmpEntry? removal;
        NatPmpEntry? due;
        bool anyWanted;
        lock (_lock)
        {
            removal = _entries.Values.FirstOrDefault(e => !e.Wanted);
            anyWanted = _entries.Values.Any(e => e.Wanted);
            due = _entries.Values.Where(e => e.Wanted && e.Due <= now).MinBy(e => e.Due);
            if (removal is { Mapped: false } || (removal is not null && now < _gatewayRetryAt))
            {
                // Never granted, or the gateway is not answering: nothing to ask it.
                Forget(removal);
                return true;
            }
        }

        if (now < _gatewayRetryAt)
        {
            return false;
        }

        if (removal is not null)
        {
            await RemoveAsync(client, removal, _options.Tries, _stopping.Token).ConfigureAwait(true);
            return true;
        }

        if (!anyWanted)
        {
            return false;
        }

        if (_needExternal)
        {
            await AskExternalAddressAsync(client).ConfigureAwait(true);
            return true;
        }

        if (due is null)
        {
            return false;
        }

        await MapAsync(client, due).ConfigureAwait(true);
        return true;
    }

    private async Task AskExternalAddressAsync(NatPmpClient client)
    {
        var exchange = await client.AskAsync(NatPmpMessage.ExternalAddressRequest(), NatPmpMessage.OpExternalAddress, 0, _options.Tries, _stopping.Token).ConfigureAwait(true);
        if (exchange.Reply is not { } reply)
        {
            Unanswered(client, exchange, null, 0);
            return;
        }

        CheckEpoch(reply.Epoch, null);
        if (reply.ResultCode != 0)
        {
            Fail(null, 0, ErrorCode.PortMapRefused, $"the gateway refused to give its external address: {NatPmpMessage.ResultName(reply.ResultCode)}");
            BackOff();
            return;
        }

        _needExternal = false;
        // 0.0.0.0: the gateway has no external address yet; its mappings still work.
        _external = reply.ExternalAddress is { } address && !address.Equals(IPAddress.Any) ? address : null;
        if (_external is not null)
        {
            _context.Sink.ExternalAddress(PortMappingMechanism.NatPmp, _external);
        }
    }

    private async Task MapAsync(NatPmpClient client, NatPmpEntry entry)
    {
        int suggested;
        lock (_lock)
        {
            suggested = entry.Mapped ? entry.ExternalPort : entry.InternalPort;
        }

        var request = NatPmpMessage.MapRequest(entry.Transport, entry.InternalPort, suggested, _options.Lifetime);
        var exchange = await client.AskAsync(request, NatPmpMessage.MapOpcode(entry.Transport), entry.InternalPort, _options.Tries, _stopping.Token).ConfigureAwait(true);
        var now = Now;
        if (exchange.Reply is not { } reply)
        {
            Unanswered(client, exchange, entry.Transport, entry.InternalPort);
            return;
        }

        CheckEpoch(reply.Epoch, entry);
        if (reply.ResultCode != 0 || reply.Lifetime == 0 || reply.ExternalPort == 0)
        {
            lock (_lock)
            {
                entry.Mapped = false;
                entry.Due = now + _options.RetryAfter;
            }

            var (error, reason) = reply.ResultCode != 0
                ? (ErrorCode.PortMapRefused, $"the gateway refused: {NatPmpMessage.ResultName(reply.ResultCode)}")
                : (ErrorCode.GatewayBadReply, "the gateway granted no lifetime or no port");
            Fail(entry.Transport, entry.InternalPort, error, reason);
            return;
        }

        var lifetime = TimeSpan.FromSeconds(reply.Lifetime);
        var renewal = lifetime / 2 > _options.MinimumRenewal ? lifetime / 2 : _options.MinimumRenewal;
        bool wanted;
        lock (_lock)
        {
            entry.Mapped = true;
            entry.ExternalPort = reply.ExternalPort;
            entry.Due = now + renewal;
            wanted = entry.Wanted;
        }

        // Not wanted any more (the port changed while we asked): the next step removes it.
        if (wanted)
        {
            _context.Sink.Mapped(new PortMapping(PortMappingMechanism.NatPmp, entry.Transport, entry.InternalPort, reply.ExternalPort, _external, now + lifetime));
        }
    }

    private async Task RemoveAsync(NatPmpClient client, NatPmpEntry entry, int tries, CancellationToken cancellationToken)
    {
        var request = NatPmpMessage.MapRequest(entry.Transport, entry.InternalPort, 0, 0);
        var exchange = await client.AskAsync(request, NatPmpMessage.MapOpcode(entry.Transport), entry.InternalPort, tries, cancellationToken).ConfigureAwait(true);
        if (exchange.Reply is not { ResultCode: 0 })
        {
            // The lease runs out on its own at worst.
            _logger.LogDebug("NAT-PMP: the removal of {Transport} port {Port} was not confirmed", entry.Transport, entry.InternalPort);
        }

        lock (_lock)
        {
            Forget(entry);
        }
    }

    // Under the lock: the entry is removed unless it was wanted again meanwhile, then asked afresh.
    private void Forget(NatPmpEntry entry)
    {
        bool wasMapped = entry.Mapped;
        entry.Mapped = false;
        if (entry.Wanted)
        {
            entry.Due = Now;
        }
        else
        {
            _entries.Remove((entry.Transport, entry.InternalPort));
        }

        if (wasMapped)
        {
            _context.Sink.Unmapped(PortMappingMechanism.NatPmp, entry.Transport, entry.InternalPort);
        }
    }

    // At stop: every mapping the gateway may hold is removed, all of it bounded by StopTimeout.
    private async Task RemoveAllAsync(NatPmpClient client)
    {
        List<NatPmpEntry> mapped;
        lock (_lock)
        {
            mapped = [.. _entries.Values.Where(e => e.Mapped)];
            foreach (var entry in _entries.Values)
            {
                entry.Wanted = false;
            }
        }

        using var deadline = new CancellationTokenSource(_options.StopTimeout, _context.Time);
        foreach (var entry in mapped)
        {
            try
            {
                await RemoveAsync(client, entry, _options.RemovalTries, deadline.Token).ConfigureAwait(true);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                _logger.LogDebug("NAT-PMP: removals at stop ended: {Reason}", e.Message);
                break;
            }
        }
    }

    private void ReportAllUnmapped()
    {
        lock (_lock)
        {
            foreach (var entry in _entries.Values.Where(e => e.Mapped).ToList())
            {
                entry.Wanted = false;
                Forget(entry);
            }
        }
    }

    // RFC 6886 3.6: a gateway whose clock advanced less than 7/8 of ours, minus 2 s, has restarted and lost its mappings.
    private void CheckEpoch(uint epoch, NatPmpEntry? answered)
    {
        var now = Now;
        bool restarted = _epoch is { } last && epoch + 2.0 < last + ((now - _epochAt).TotalSeconds * 7 / 8);
        _epoch = epoch;
        _epochAt = now;
        if (!restarted)
        {
            return;
        }

        _logger.LogInformation("NAT-PMP: the gateway restarted (epoch {Epoch}); mapping again", epoch);
        _needExternal = true;
        lock (_lock)
        {
            foreach (var entry in _entries.Values.Where(e => e.Wanted && e != answered))
            {
                entry.Mapped = false;
                entry.Due = now;
            }
        }
    }

    private void Unanswered(NatPmpClient client, NatPmpExchange exchange, PortMappingTransport? transport, int internalPort)
    {
        if (exchange.BadReplies)
        {
            Fail(transport, internalPort, ErrorCode.GatewayBadReply, $"only malformed replies from {client.Gateway}");
        }
        else
        {
            Fail(transport, internalPort, ErrorCode.GatewayTimeout, $"no reply from {client.Gateway} after {_options.Tries} tries");
        }

        BackOff();
    }

    // The gateway is not answering (or missing): leave it alone a while, then start with its external address.
    private void BackOff()
    {
        _gatewayRetryAt = Now + _options.RetryAfter;
        _needExternal = true;
    }

    private void Fail(PortMappingTransport? transport, int internalPort, ErrorCode error, string reason) =>
        _context.Sink.Failed(PortMappingMechanism.NatPmp, transport, internalPort, error, reason);

    // Waits for the next due entry, the end of a back-off, a new wish from Map, or the stop.
    private async Task IdleAsync()
    {
        var now = Now;
        Task wake;
        DateTimeOffset until;
        lock (_lock)
        {
            if (_wake.Task.IsCompleted)
            {
                // Map was called since the last look: look again before sleeping.
                _wake = NewWake();
                return;
            }

            wake = _wake.Task;
            var nextDue = _entries.Values.Where(e => e.Wanted).Select(e => e.Due).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
            until = nextDue > _gatewayRetryAt ? nextDue : _gatewayRetryAt;
            if (_entries.Values.All(e => !e.Wanted))
            {
                until = DateTimeOffset.MaxValue;
            }
        }

        var delay = until == DateTimeOffset.MaxValue || until - now > LongestIdle ? LongestIdle : until - now;
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        await Task.WhenAny(wake, Task.Delay(delay, _context.Time, cancel.Token)).ConfigureAwait(true);
        await cancel.CancelAsync().ConfigureAwait(true);
    }
}
