using System.Net;

namespace GodotTorrent.Nat.Upnp;

/// <summary>
/// The knobs of the UPnP IGD mapper. Production uses <see cref="Default"/>; tests aim
/// <see cref="MulticastEndPoint"/> and <see cref="LocalAddresses"/> at a fake gateway on
/// 127.0.0.1 and shorten the time-outs, so no test ever sends to the real SSDP group.
/// </summary>
internal sealed record UpnpOptions
{
    public static UpnpOptions Default { get; } = new();

    /// <summary>Where M-SEARCH goes: the SSDP group (UPnP Device Architecture 1.1, section 1.3.2).</summary>
    public IPEndPoint MulticastEndPoint { get; init; } = new(IPAddress.Parse("239.255.255.250"), 1900);

    /// <summary>The addresses to search from; null: each IPv4 address of each interface that is up and not loopback.</summary>
    public IReadOnlyList<IPAddress>? LocalAddresses { get; init; }

    /// <summary>When M-SEARCH is sent, from the start of a search (UDP may drop any one).</summary>
    public IReadOnlyList<TimeSpan> SearchSends { get; init; } = [TimeSpan.Zero, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5)];

    /// <summary>How long replies are collected after the first send.</summary>
    public TimeSpan SearchWindow { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Each HTTP exchange with the gateway (description, one SOAP action), connect to last byte.</summary>
    public TimeSpan HttpTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>All removals at stop together: a silent gateway does not hold the session's stop.</summary>
    public TimeSpan StopBudget { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The largest device description read (counted while reading).</summary>
    public int MaxDescriptionBytes { get; init; } = 64 * 1024;

    /// <summary>The largest SOAP reply read.</summary>
    public int MaxSoapReplyBytes { get; init; } = 16 * 1024;

    /// <summary>The lease asked for; renewed at half of it.</summary>
    public int LeaseSeconds { get; init; } = 3600;

    /// <summary>Other external ports tried when ours is mapped to another host (error 718).</summary>
    public int ConflictRetries { get; init; } = 4;

    /// <summary>The first wait before searching again after no gateway was found (or one was lost), and before retrying a refused port.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The longest such wait (it doubles up to here).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The mapping's description on the gateway (shown in its web page).</summary>
    public string Description { get; init; } = "GodotTorrent";
}
