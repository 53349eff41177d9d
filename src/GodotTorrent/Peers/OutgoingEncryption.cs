using GodotTorrent.Session;

namespace GodotTorrent.Peers;

/// <summary>
/// Whether to open a connection with MSE or in plaintext, and whether a failed attempt earns one
/// retry the other way. Pure: the dialler supplies the policy and what it knows of the peer.
/// </summary>
internal static class OutgoingEncryption
{
    /// <summary>
    /// The first attempt: forced is always MSE, disabled never; enabled tries MSE first (as
    /// libtorrent and Transmission do) unless this peer is known not to speak it.
    /// </summary>
    public static bool FirstAttempt(EncryptionPolicy policy, bool? speaksMse) => policy switch
    {
        EncryptionPolicy.Forced => true,
        EncryptionPolicy.Disabled => false,
        _ => speaksMse != false,
    };

    /// <summary>
    /// After a failed attempt: the other way once, when the policy allows both and the failure
    /// says the peer does not speak what we offered (it closed on our MSE key, or hung up on our
    /// plaintext handshake as a peer that requires encryption does); otherwise null.
    /// </summary>
    public static bool? Retry(EncryptionPolicy policy, bool triedEncrypted, ErrorCode failure) =>
        policy != EncryptionPolicy.Enabled ? null
        : triedEncrypted && failure == ErrorCode.EncryptionNotSupported ? false
        : !triedEncrypted && failure == ErrorCode.ConnectionClosed ? true
        : null;
}
