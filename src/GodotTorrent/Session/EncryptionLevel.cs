namespace GodotTorrent.Session;

/// <summary>What an MSE connection may carry after its handshake (MSE's <c>crypto_provide</c> bits).</summary>
[Flags]
public enum EncryptionLevel
{
    /// <summary>The key exchange only, then plain BitTorrent messages (cheapest; hides the handshake).</summary>
    Plaintext = 1,
    /// <summary>Every byte RC4-encrypted.</summary>
    Rc4 = 2,
    /// <summary>Either, as the two sides agree (<see cref="SessionSettings.PreferRc4"/> breaks the tie).</summary>
    Both = Plaintext | Rc4,
}
