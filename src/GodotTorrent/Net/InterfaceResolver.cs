using System.Net;
using System.Net.Sockets;

namespace GodotTorrent.Net;

/// <summary>
/// Turns listen and outgoing entries (interface names or addresses) into addresses, against a list
/// of the machine's interfaces taken when the session listens or dials. Pure: the caller passes the list.
/// </summary>
internal static class InterfaceResolver
{
    /// <summary>
    /// The addresses to listen on for <paramref name="entries"/>: an address as given, a name as
    /// every address of that interface (IPv4 first). A name that is unknown or has no usable
    /// address comes back as a target without an address, saying why. IPv6 is left out when
    /// <paramref name="ipv6"/> is off; an address asked for twice is listened on once.
    /// </summary>
    public static IReadOnlyList<ListenTarget> Listen(IReadOnlyList<string> entries, IReadOnlyList<LocalInterface> interfaces, bool ipv6)
    {
        var targets = new List<ListenTarget>();
        foreach (var text in entries)
        {
            if (ListenEntry.Parse(text, allowPort: true, out _) is not { } entry)
            {
                continue; // Validation refuses such settings; nothing to listen on.
            }

            if (entry.Address is { } address)
            {
                if (Allowed(address, ipv6))
                {
                    Add(targets, new ListenTarget(address, entry.Port));
                }

                continue;
            }

            string name = entry.InterfaceName!;
            if (Find(interfaces, name) is not { } found)
            {
                targets.Add(new ListenTarget(null, entry.Port, name, $"there is no network interface named '{name}'"));
                continue;
            }

            var usable = found.Addresses.Where(a => Allowed(a, ipv6)).ToList();
            if (usable.Count == 0)
            {
                string which = ipv6 ? "no IPv4 or IPv6 address" : "no IPv4 address (IPv6 is off)";
                targets.Add(new ListenTarget(null, entry.Port, name, $"the network interface '{name}' has {which}"));
                continue;
            }

            foreach (var a in usable)
            {
                Add(targets, new ListenTarget(a, entry.Port, name));
            }
        }

        return targets;
    }

    /// <summary>
    /// The local addresses outgoing connections may leave from, in the order of
    /// <paramref name="entries"/>; <paramref name="unresolved"/> gets each name that gave none.
    /// </summary>
    public static IReadOnlyList<IPAddress> Outgoing(IReadOnlyList<string> entries, IReadOnlyList<LocalInterface> interfaces, ICollection<string> unresolved)
    {
        var addresses = new List<IPAddress>();
        foreach (var text in entries)
        {
            if (ListenEntry.Parse(text, allowPort: false, out _) is not { } entry)
            {
                continue;
            }

            if (entry.Address is { } address)
            {
                addresses.Add(address);
            }
            else if (Find(interfaces, entry.InterfaceName!) is { Addresses.Count: > 0 } found)
            {
                addresses.AddRange(found.Addresses);
            }
            else
            {
                unresolved.Add(entry.InterfaceName!);
            }
        }

        return addresses;
    }

    private static LocalInterface? Find(IReadOnlyList<LocalInterface> interfaces, string name) =>
        interfaces.FirstOrDefault(i => string.Equals(i.Name, name, StringComparison.Ordinal));

    private static bool Allowed(IPAddress address, bool ipv6) =>
        address.AddressFamily != AddressFamily.InterNetworkV6 || (ipv6 && Socket.OSSupportsIPv6);

    private static void Add(List<ListenTarget> targets, ListenTarget target)
    {
        if (!targets.Any(t => target.Address!.Equals(t.Address) && t.Port == target.Port))
        {
            targets.Add(target);
        }
    }
}
