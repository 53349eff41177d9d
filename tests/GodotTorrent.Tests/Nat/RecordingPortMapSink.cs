using System.Collections.Concurrent;
using System.Net;
using GodotTorrent.Nat;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Nat;

/// <summary>An <see cref="IPortMapSink"/> that keeps every report, for tests of a mapper alone.</summary>
internal sealed class RecordingPortMapSink : IPortMapSink
{
    public ConcurrentQueue<object> Reports { get; } = new();

    public List<T> Of<T>() => [.. Reports.OfType<T>()];

    public void Mapped(PortMapping mapping) => Reports.Enqueue(mapping);

    public void Unmapped(PortMappingMechanism mechanism, PortMappingTransport transport, int internalPort) => Reports.Enqueue(new UnmappedReport(transport, internalPort));

    public void Failed(PortMappingMechanism mechanism, PortMappingTransport? transport, int internalPort, ErrorCode error, string reason) =>
        Reports.Enqueue(new FailedReport(transport, internalPort, error, reason));

    public void ExternalAddress(PortMappingMechanism mechanism, IPAddress address) => Reports.Enqueue(address);

    /// <summary>Waits (bounded by the token) until <paramref name="count"/> reports of type <typeparamref name="T"/> match.</summary>
    public async Task<List<T>> WaitForAsync<T>(Func<T, bool> match, int count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var found = Reports.OfType<T>().Where(match).ToList();
            if (found.Count >= count)
            {
                return found;
            }

            await Task.Delay(10, cancellationToken);
        }
    }

    internal sealed record UnmappedReport(PortMappingTransport Transport, int InternalPort);

    internal sealed record FailedReport(PortMappingTransport? Transport, int InternalPort, ErrorCode Error, string Reason);
}
