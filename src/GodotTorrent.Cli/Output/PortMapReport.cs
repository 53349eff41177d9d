namespace GodotTorrent.Cli.Output;

/// <summary>
/// A JSON line of <c>download</c> and <c>seed</c> when the router forwards a port to us (or renews it):
/// <c>{"event":"portmap","mechanism":"natpmp","transport":"tcp","internal_port":N,"external_port":N,"external_address":"..."|null}</c>.
/// </summary>
internal sealed record PortMapReport(string Event, string Mechanism, string Transport, int InternalPort, int ExternalPort, string? ExternalAddress);
