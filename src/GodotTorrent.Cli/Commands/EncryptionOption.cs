using System.CommandLine;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary><c>--encryption disabled|enabled|forced</c>: the MSE policy for both directions, shared by download, seed and demo.</summary>
internal static class EncryptionOption
{
    public static Option<EncryptionPolicy> Create() => new("--encryption")
    {
        Description = "Protocol encryption (MSE/PE) in and out: disabled, enabled (default: MSE first, plaintext accepted) or forced (MSE with RC4 on every byte, plaintext peers refused, as Transmission's 'required'). Obfuscation against traffic shaping, not security.",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return EncryptionPolicy.Enabled;
            }

            string text = result.Tokens[0].Value;
            switch (text.ToLowerInvariant())
            {
                case "disabled": return EncryptionPolicy.Disabled;
                case "enabled": return EncryptionPolicy.Enabled;
                case "forced": return EncryptionPolicy.Forced;
                default:
                    result.AddError($"--encryption '{text}' is not one of disabled, enabled, forced.");
                    return EncryptionPolicy.Enabled;
            }
        },
        DefaultValueFactory = _ => EncryptionPolicy.Enabled,
        HelpName = "disabled|enabled|forced",
    };

    /// <summary>
    /// <paramref name="settings"/> with <paramref name="policy"/> in both directions; forced also
    /// means RC4, since plain messages after the key exchange are what traffic shaping looks for.
    /// </summary>
    public static SessionSettings Apply(SessionSettings settings, EncryptionPolicy policy) =>
        settings with
        {
            IncomingEncryption = policy,
            OutgoingEncryption = policy,
            AllowedEncryptionLevel = policy == EncryptionPolicy.Forced ? EncryptionLevel.Rc4 : settings.AllowedEncryptionLevel,
        };
}
