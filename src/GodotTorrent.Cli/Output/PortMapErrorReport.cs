namespace GodotTorrent.Cli.Output;

/// <summary>
/// A JSON line of <c>download</c> and <c>seed</c> when port mapping fails (once per distinct message):
/// <c>{"event":"portmap_error","mechanism":"upnp","transport":"tcp"|null,"internal_port":N,"error":"GatewayTimeout","message":"..."}</c>.
/// </summary>
internal sealed record PortMapErrorReport(string Event, string Mechanism, string? Transport, int InternalPort, string Error, string Message);
