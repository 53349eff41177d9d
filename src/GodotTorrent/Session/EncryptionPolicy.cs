namespace GodotTorrent.Session;

/// <summary>
/// Whether connections in one direction use protocol encryption (MSE/PE). MSE obfuscates the
/// stream against traffic shaping; it is not a security guarantee (the key exchange is not
/// authenticated).
/// </summary>
public enum EncryptionPolicy
{
    /// <summary>Plain BitTorrent only: incoming MSE handshakes are refused, outgoing connections never offer it.</summary>
    Disabled = 0,
    /// <summary>Both: outgoing connections try MSE first and fall back to plaintext once per peer; incoming take either.</summary>
    Enabled = 1,
    /// <summary>MSE only: plaintext peers are refused in this direction.</summary>
    Forced = 2,
}
