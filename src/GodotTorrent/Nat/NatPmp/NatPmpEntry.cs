using GodotTorrent.Session;

namespace GodotTorrent.Nat.NatPmp;

/// <summary>One port the mapper keeps track of: wanted or on its way out, and what the gateway granted. Touched under the mapper's lock.</summary>
internal sealed class NatPmpEntry(PortMappingTransport transport, int internalPort)
{
    public PortMappingTransport Transport { get; } = transport;

    public int InternalPort { get; } = internalPort;

    /// <summary>The session asks for it; false: remove it.</summary>
    public bool Wanted { get; set; }

    /// <summary>The gateway may hold a mapping for it (granted and not removed).</summary>
    public bool Mapped { get; set; }

    /// <summary>The external port granted last (suggested again on renewal).</summary>
    public int ExternalPort { get; set; }

    /// <summary>When to ask next: the first request, a renewal, or a retry.</summary>
    public DateTimeOffset Due { get; set; }
}
