using System.Net;
using GodotTorrent.Nat;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Nat;

/// <summary>Records the NAT-PMP mapper's reports (any thread) and wakes a waiter on each, so a test waits (bounded) for exactly what it needs.</summary>
internal sealed class NatPmpRecordingSink : IPortMapSink
{
    private readonly object _lock = new();
    private readonly List<object> _events = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<object> Events
    {
        get
        {
            lock (_lock)
            {
                return [.. _events];
            }
        }
    }

    public IReadOnlyList<PortMapping> Mappings => [.. Events.OfType<PortMapping>()];

    public IReadOnlyList<(PortMappingTransport? Transport, int Port, ErrorCode Error, string Reason)> Failures =>
        [.. Events.OfType<(PortMappingTransport?, int, ErrorCode, string)>()];

    public IReadOnlyList<(PortMappingTransport Transport, int Port)> Unmappings => [.. Events.OfType<(PortMappingTransport, int)>()];

    public IReadOnlyList<IPAddress> ExternalAddresses => [.. Events.OfType<IPAddress>()];

    public void Mapped(PortMapping mapping) => Add(mapping);

    public void Unmapped(PortMappingMechanism mechanism, PortMappingTransport transport, int internalPort) => Add((transport, internalPort));

    public void Failed(PortMappingMechanism mechanism, PortMappingTransport? transport, int internalPort, ErrorCode error, string reason) =>
        Add((transport, internalPort, error, reason));

    public void ExternalAddress(PortMappingMechanism mechanism, IPAddress address) => Add(address);

    public async Task WaitForAsync(Func<NatPmpRecordingSink, bool> condition, string what)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                changed = _changed.Task;
            }

            if (condition(this))
            {
                return;
            }

            try
            {
                await changed.WaitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the mapper never reported {what}; it reported: {string.Join(", ", Events)}");
            }
        }
    }

    private void Add(object report)
    {
        lock (_lock)
        {
            _events.Add(report);
            _changed.TrySetResult();
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
