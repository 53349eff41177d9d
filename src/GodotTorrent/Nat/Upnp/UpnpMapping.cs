namespace GodotTorrent.Nat.Upnp;

/// <summary>One wanted port and what the gateway gave for it; the mapper's worker alone touches it.</summary>
internal sealed class UpnpMapping(PortMapRequest request, int leaseSeconds, TimeSpan retryDelay)
{
    public PortMapRequest Request { get; } = request;

    /// <summary>The external port asked for: the internal one first, another after a conflict.</summary>
    public int ExternalPort { get; set; } = request.InternalPort;

    /// <summary>The lease asked for: 0 (permanent) once the gateway said it knows no other.</summary>
    public int LeaseSeconds { get; set; } = leaseSeconds;

    /// <summary>True while the gateway holds it for us (as far as we know).</summary>
    public bool Mapped { get; set; }

    /// <summary>When to map (again): now, at half the lease, or after a failure's back-off.</summary>
    public DateTimeOffset DueAt { get; set; } = DateTimeOffset.MinValue;

    /// <summary>The wait after the next failure; doubles.</summary>
    public TimeSpan RetryDelay { get; set; } = retryDelay;
}
