namespace GodotTorrent.Nat.Upnp;

/// <summary>What a SOAP action came back with: its out arguments, or a UPnP fault (<see cref="FaultCode"/> &gt; 0).</summary>
internal sealed record UpnpSoapReply(IReadOnlyDictionary<string, string> Values, int FaultCode, string FaultDescription)
{
    /// <summary>UPnP error: the external port is mapped to another client.</summary>
    public const int ConflictInMappingEntry = 718;

    /// <summary>UPnP error: the external port must equal the internal one.</summary>
    public const int SamePortValuesRequired = 724;

    /// <summary>UPnP error: only lease 0 (permanent) is supported.</summary>
    public const int OnlyPermanentLeasesSupported = 725;

    public bool IsFault => FaultCode != 0;

    /// <summary>"718 ConflictInMappingEntry": the code and the gateway's words, for a reason string.</summary>
    public string FaultText => string.IsNullOrEmpty(FaultDescription) ? $"UPnP error {FaultCode}" : $"UPnP error {FaultCode} {FaultDescription}";
}
