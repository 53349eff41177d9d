namespace GodotTorrent.Dht.Items;

/// <summary>The KRPC error codes of a refused <c>put</c> (BEP 5's 203, BEP 44's others), as sent in an error reply's <c>e</c> list.</summary>
internal enum DhtItemError
{
    /// <summary>Accepted.</summary>
    None = 0,

    /// <summary>BEP 5 protocol error: a missing or malformed argument.</summary>
    ProtocolError = 203,

    /// <summary>The value (<c>v</c>) is over 1,000 bytes bencoded.</summary>
    MessageTooBig = 205,

    /// <summary>The signature does not verify.</summary>
    InvalidSignature = 206,

    /// <summary>The salt is over 64 bytes.</summary>
    SaltTooBig = 207,

    /// <summary>The <c>cas</c> is not the stored item's sequence number.</summary>
    CasMismatch = 301,

    /// <summary>The sequence number is lower than the stored one (or equal, with another value).</summary>
    SequenceLessThanCurrent = 302,
}
