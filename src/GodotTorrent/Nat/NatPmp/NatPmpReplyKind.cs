namespace GodotTorrent.Nat.NatPmp;

/// <summary>What a datagram from the gateway is to the request we wait on.</summary>
internal enum NatPmpReplyKind
{
    /// <summary>The answer to it.</summary>
    Ours,

    /// <summary>A well-formed answer to another request (a late reply to an earlier try): ignored.</summary>
    NotOurs,

    /// <summary>Too short, too long, another version or an unknown opcode: ignored, and remembered.</summary>
    Malformed,
}
