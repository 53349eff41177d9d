namespace GodotTorrent.Nat.Upnp;

/// <summary>The gateway's WAN connection service: its type (the SOAP namespace of its actions) and where to post them.</summary>
internal sealed record UpnpService(string ServiceType, Uri ControlUrl);
