using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Net;

/// <summary>
/// The local address an outgoing TCP connection binds to, from <c>SessionSettings.OutgoingInterfaces</c>
/// (names resolved against the machine's interfaces, again every 30 s so a changed address is
/// followed). Safe from any thread: dials run on the background runner.
/// </summary>
internal sealed class OutgoingInterfaces(Func<IReadOnlyList<LocalInterface>> machine, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);

    private Resolved? _last;

    /// <summary>
    /// Null when <paramref name="entries"/> is empty (the system picks); otherwise the first of
    /// their addresses of <paramref name="family"/>.
    /// </summary>
    /// <exception cref="IOException">None of the entries has an address of that family: the peer is not dialled,
    /// rather than reached through an interface the settings left out.</exception>
    public IPAddress? LocalAddress(IReadOnlyList<string> entries, AddressFamily family)
    {
        if (entries.Count == 0)
        {
            return null;
        }

        long now = time.GetTimestamp();
        var last = Volatile.Read(ref _last);
        if (last is null || !last.Entries.SequenceEqual(entries) || time.GetElapsedTime(last.Taken, now) > Refresh)
        {
            var unresolved = new List<string>();
            bool names = entries.Any(e => ListenEntry.Parse(e, allowPort: false, out _) is { InterfaceName: not null });
            last = new Resolved(entries, InterfaceResolver.Outgoing(entries, names ? machine() : [], unresolved), now);
            Volatile.Write(ref _last, last);
            if (unresolved.Count > 0)
            {
                logger.LogWarning("Outgoing interfaces without an address: {Interfaces}", string.Join(", ", unresolved));
            }
        }

        return last.Addresses.FirstOrDefault(a => a.AddressFamily == family)
            ?? throw new IOException($"none of the outgoing interfaces ({string.Join(", ", entries)}) has an {(family == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4")} address");
    }

    private sealed record Resolved(IReadOnlyList<string> Entries, IReadOnlyList<IPAddress> Addresses, long Taken);
}
