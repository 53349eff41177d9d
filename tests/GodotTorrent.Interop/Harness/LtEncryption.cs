namespace GodotTorrent.Interop.Harness;

/// <summary>
/// libtorrent's MSE/PE settings for an <c>lt_tool.py seed|download</c> peer: <c>in_enc_policy</c>
/// and <c>out_enc_policy</c> (both <paramref name="Policy"/>: "forced", "enabled" or "disabled"),
/// <c>allowed_enc_level</c> (<paramref name="Level"/>: "plaintext", "rc4" or "both") and <c>prefer_rc4</c>.
/// Null members keep libtorrent's defaults (enabled, both, no preference).
/// </summary>
public sealed record LtEncryption(string? Policy, string? Level = null, bool PreferRc4 = false)
{
    /// <summary>Only MSE with RC4, both directions (REAL_PEERS.md: "forced RC4").</summary>
    public static LtEncryption ForcedRc4 { get; } = new("forced", "rc4", PreferRc4: true);

    /// <summary>Only MSE, then plaintext: the handshake is obfuscated, the messages are not.</summary>
    public static LtEncryption ForcedPlaintext { get; } = new("forced", "plaintext");

    /// <summary>No MSE at all: a peer that offers it is refused, and it never offers it.</summary>
    public static LtEncryption Disabled { get; } = new("disabled");

    /// <summary>One of the presets by name, for theory data: "forced-rc4", "forced-plaintext" or "disabled".</summary>
    public static LtEncryption Named(string name) => name switch
    {
        "forced-rc4" => ForcedRc4,
        "forced-plaintext" => ForcedPlaintext,
        "disabled" => Disabled,
        _ => throw new ArgumentException("not a preset: " + name, nameof(name)),
    };

    /// <summary>The lt_tool.py options.</summary>
    public IEnumerable<string> Arguments()
    {
        if (Policy is not null)
        {
            yield return "--enc-policy";
            yield return Policy;
        }

        if (Level is not null)
        {
            yield return "--enc-level";
            yield return Level;
        }

        if (PreferRc4)
        {
            yield return "--prefer-rc4";
        }
    }
}
