namespace GodotTorrent.Session;

/// <summary>Whether peer connections are encrypted (MSE/PE, the obfuscation most clients offer).</summary>
public enum EncryptionPolicy
{
    /// <summary>Plain BitTorrent connections only.</summary>
    Disabled = 0,
    /// <summary>Offer encryption and accept plain connections.</summary>
    Enabled = 1,
    /// <summary>Only encrypted connections.</summary>
    Required = 2,
}
