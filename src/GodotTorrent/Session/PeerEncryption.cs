namespace GodotTorrent.Session;

/// <summary>How one peer connection is protected, as <see cref="PeerInfo.Encryption"/> reports it.</summary>
public enum PeerEncryption
{
    /// <summary>A plain BitTorrent connection (no MSE handshake).</summary>
    None = 0,
    /// <summary>An MSE handshake, then plain BitTorrent messages.</summary>
    Plaintext = 1,
    /// <summary>An MSE handshake, then RC4 on every byte.</summary>
    Rc4 = 2,
}
