namespace GodotTorrent.Nat;

/// <summary>Makes a port mapper when its setting is on (production gateways, or a test's fake one).</summary>
internal delegate IPortMapper PortMapperFactory(PortMapperContext context);
