namespace GodotTorrent.Wire;

/// <summary>What a ut_pex message says about one added peer (one byte in <c>added.f</c>).</summary>
[Flags]
internal enum PexFlags : byte
{
    /// <summary>Nothing known.</summary>
    None = 0,

    /// <summary>The peer prefers encrypted connections.</summary>
    PrefersEncryption = 0x01,

    /// <summary>The peer is a seed or upload-only.</summary>
    UploadOnly = 0x02,

    /// <summary>The peer supports uTP (only a positive hint: unset does not mean unsupported).</summary>
    SupportsUtp = 0x04,

    /// <summary>The peer supports ut_holepunch, so it can be a rendezvous point.</summary>
    SupportsHolepunch = 0x08,

    /// <summary>The sender connected to the peer (an outgoing connection), so it is reachable.</summary>
    Reachable = 0x10,
}
