namespace GodotTorrent.Wire;

/// <summary>
/// The 8 reserved bytes of the handshake as one big-endian number, so <c>reserved[7]</c> is the
/// low byte. Both sides must set a bit for its extension to be on (<see cref="Intersect"/>).
/// </summary>
/// <param name="Value">The 8 bytes, <c>reserved[0]</c> in the high byte.</param>
internal readonly record struct HandshakeReserved(ulong Value)
{
    // BEP 10: reserved[5] & 0x10.
    private const ulong ExtensionProtocolBit = 0x10UL << 16;

    // BEP 6: reserved[7] & 0x04.
    private const ulong FastExtensionBit = 0x04;

    // BEP 5: reserved[7] & 0x01.
    private const ulong DhtBit = 0x01;

    // BEP 52: reserved[7] & 0x10, "this peer can upgrade to the v2 info-hash".
    private const ulong V2UpgradeBit = 0x10;

    /// <summary>The peer speaks the extension protocol (BEP 10).</summary>
    public bool ExtensionProtocol => (Value & ExtensionProtocolBit) != 0;

    /// <summary>The peer speaks the fast extension (BEP 6).</summary>
    public bool FastExtension => (Value & FastExtensionBit) != 0;

    /// <summary>The peer runs a DHT node and may send a port message (BEP 5).</summary>
    public bool Dht => (Value & DhtBit) != 0;

    /// <summary>The peer can switch a hybrid torrent to its v2 info-hash (BEP 52).</summary>
    public bool V2Upgrade => (Value & V2UpgradeBit) != 0;

    /// <summary>Reserved bytes announcing the given extensions and nothing else.</summary>
    public static HandshakeReserved Create(bool extensionProtocol, bool fastExtension, bool dht, bool v2Upgrade = false) =>
        new((extensionProtocol ? ExtensionProtocolBit : 0)
            | (fastExtension ? FastExtensionBit : 0)
            | (dht ? DhtBit : 0)
            | (v2Upgrade ? V2UpgradeBit : 0));

    /// <summary>These bits plus BEP 52's upgrade bit.</summary>
    public HandshakeReserved WithV2Upgrade() => new(Value | V2UpgradeBit);

    /// <summary>The bits both sides set: what the connection may use.</summary>
    public HandshakeReserved Intersect(HandshakeReserved other) => new(Value & other.Value);

    /// <summary>The bytes as hex, <c>reserved[0]</c> first.</summary>
    public override string ToString() => Value.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
}
