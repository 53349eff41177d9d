using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace GodotTorrent.Wire;

/// <summary>
/// Names the client behind a peer id, from the conventions in BEP 20 and in use: Azureus style
/// (<c>-LT2080-</c>), Shadow style (<c>S58B-----</c>), Mainline (<c>M7-2-0--</c>) and aria2
/// (<c>A2-1-36-0-</c>). Anything else is "Unknown" with the id's first bytes.
/// </summary>
internal static class PeerClientName
{
    /// <summary>How an Azureus-style client spells its version in the four characters after its code.</summary>
    private enum VersionStyle
    {
        /// <summary>Four base-36 digits, a trailing zero fourth part dropped: <c>2080</c> is 2.0.8.</summary>
        Four,

        /// <summary>Three base-36 digits, the fourth character (a build letter) ignored: <c>4630</c> is 4.6.3.</summary>
        Three,

        /// <summary>Transmission: <c>3000</c> is 3.00 (major, two-digit minor); 4 and later <c>4050</c> is 4.0.5.</summary>
        Transmission,

        /// <summary>Two decimal digits of major, two of minor: <c>0109</c> is 1.9 (WebTorrent).</summary>
        TwoTwo,

        /// <summary>Major digit, two-digit minor: <c>0200</c> is 2.00 (BitComet).</summary>
        BitComet,
    }

    private static readonly FrozenDictionary<string, (string Name, VersionStyle Style)> AzureusClients =
        new Dictionary<string, (string, VersionStyle)>(StringComparer.Ordinal)
        {
            ["AG"] = ("Ares", VersionStyle.Four),
            ["AZ"] = ("Vuze", VersionStyle.Four),
            ["BB"] = ("BitBuddy", VersionStyle.Four),
            ["BC"] = ("BitComet", VersionStyle.BitComet),
            ["BI"] = ("BiglyBT", VersionStyle.Four),
            ["BT"] = ("BitTorrent", VersionStyle.Three),
            ["BW"] = ("BitWombat", VersionStyle.Four),
            ["DE"] = ("Deluge", VersionStyle.Three),
            ["FD"] = ("Free Download Manager", VersionStyle.Three),
            ["FW"] = ("FrostWire", VersionStyle.Three),
            ["GT"] = ("Godot-Torrent", VersionStyle.Four),
            ["HL"] = ("Halite", VersionStyle.Three),
            ["KT"] = ("KTorrent", VersionStyle.Three),
            ["LT"] = ("libtorrent", VersionStyle.Four),
            ["lt"] = ("libTorrent (rakshasa)", VersionStyle.Four),
            ["MO"] = ("MonoTorrent", VersionStyle.Four),
            ["PI"] = ("PicoTorrent", VersionStyle.Three),
            ["qB"] = ("qBittorrent", VersionStyle.Three),
            ["RT"] = ("rTorrent", VersionStyle.Three),
            ["SD"] = ("Thunder", VersionStyle.Four),
            ["TL"] = ("Tribler", VersionStyle.Four),
            ["TR"] = ("Transmission", VersionStyle.Transmission),
            ["UM"] = ("\u00b5Torrent for Mac", VersionStyle.Three),
            ["UT"] = ("\u00b5Torrent", VersionStyle.Three),
            ["UW"] = ("\u00b5Torrent Web", VersionStyle.Three),
            ["WW"] = ("WebTorrent", VersionStyle.TwoTwo),
            ["XL"] = ("Xunlei", VersionStyle.Four),
            ["ZT"] = ("ZipTorrent", VersionStyle.Four),
        }.ToFrozenDictionary(StringComparer.Ordinal);

    // BEP 20's Shadow-style client letters.
    private static readonly FrozenDictionary<char, string> ShadowClients = new Dictionary<char, string>
    {
        ['A'] = "ABC",
        ['O'] = "Osprey Permaseed",
        ['Q'] = "BTQueue",
        ['R'] = "Tribler",
        ['S'] = "Shadow",
        ['T'] = "BitTornado",
        ['U'] = "UPnP NAT Bit Torrent",
    }.ToFrozenDictionary();

    /// <summary>The client name and version for <paramref name="peerId"/> (normally 20 bytes; shorter input is tolerated).</summary>
    public static string FromPeerId(ReadOnlySpan<byte> peerId)
    {
        return TryAzureus(peerId)
            ?? TryAria2(peerId)
            ?? TryMainline(peerId)
            ?? TryShadow(peerId)
            ?? Unknown(peerId);
    }

    private static string? TryAzureus(ReadOnlySpan<byte> id)
    {
        if (id.Length < 8 || id[0] != '-' || id[7] != '-' || !IsLetter(id[1]) || !IsLetter(id[2]))
        {
            return null;
        }

        Span<int> digits = stackalloc int[4];
        for (int i = 0; i < 4; i++)
        {
            digits[i] = Base36(id[3 + i]);
            if (digits[i] < 0)
            {
                return null;
            }
        }

        string code = string.Create(2, (id[1], id[2]), static (span, c) => { span[0] = (char)c.Item1; span[1] = (char)c.Item2; });
        if (!AzureusClients.TryGetValue(code, out var client))
        {
            return $"Unknown ({Printable(id[..8])})";
        }

        var inv = CultureInfo.InvariantCulture;
        string version = client.Style switch
        {
            VersionStyle.Three => string.Create(inv, $"{digits[0]}.{digits[1]}.{digits[2]}"),
            VersionStyle.Transmission when digits[0] >= 4 => string.Create(inv, $"{digits[0]}.{digits[1]}.{digits[2]}"),
            VersionStyle.Transmission => TransmissionOld(id),
            VersionStyle.TwoTwo => string.Create(inv, $"{(digits[0] * 10) + digits[1]}.{(digits[2] * 10) + digits[3]}"),
            VersionStyle.BitComet => string.Create(inv, $"{(digits[0] * 10) + digits[1]}.{(char)id[5]}{(char)id[6]}"),
            _ => digits[3] == 0
                ? string.Create(inv, $"{digits[0]}.{digits[1]}.{digits[2]}")
                : string.Create(inv, $"{digits[0]}.{digits[1]}.{digits[2]}.{digits[3]}"),
        };
        return $"{client.Name} {version}";
    }

    // Transmission before 4.0, as it names itself: -TR0006- is 0.6, -TR0072- is 0.72,
    // -TRabcd- is a.bc with a trailing Z or X marking a development build (2.94+).
    private static string TransmissionOld(ReadOnlySpan<byte> id)
    {
        if (id[3..6].SequenceEqual("000"u8))
        {
            return $"0.{(char)id[6]}";
        }

        if (id[3..5].SequenceEqual("00"u8))
        {
            return $"0.{(char)id[5]}{(char)id[6]}";
        }

        string suffix = id[6] is (byte)'Z' or (byte)'X' ? "+" : string.Empty;
        return $"{(char)id[3]}.{(char)id[4]}{(char)id[5]}{suffix}";
    }

    // aria2: "A2-" major "-" minor "-" patch "-", e.g. A2-1-36-0-.
    private static string? TryAria2(ReadOnlySpan<byte> id)
    {
        if (id.Length < 9 || !id.StartsWith("A2-"u8))
        {
            return null;
        }

        return TryDashedVersion(id[3..], out string? version) ? $"aria2 {version}" : null;
    }

    // Mainline (BEP 20): "M" major "-" minor "-" patch "-", padded with '-' to 8 bytes, e.g. M7-2-0--.
    private static string? TryMainline(ReadOnlySpan<byte> id)
    {
        if (id.Length < 8 || id[0] != 'M' || !IsDigit(id[1]))
        {
            return null;
        }

        return TryDashedVersion(id[1..], out string? version) ? $"Mainline {version}" : null;
    }

    // Three groups of 1-3 decimal digits, each ended by '-'.
    private static bool TryDashedVersion(ReadOnlySpan<byte> text, out string? version)
    {
        version = null;
        var builder = new StringBuilder(12);
        int pos = 0;
        for (int group = 0; group < 3; group++)
        {
            int start = pos;
            while (pos < text.Length && pos - start < 3 && IsDigit(text[pos]))
            {
                pos++;
            }

            if (pos == start || pos >= text.Length || text[pos] != '-')
            {
                return false;
            }

            if (group > 0)
            {
                builder.Append('.');
            }

            builder.Append(int.Parse(Encoding.ASCII.GetString(text[start..pos]), CultureInfo.InvariantCulture));
            pos++;
        }

        version = builder.ToString();
        return true;
    }

    // Shadow style (BEP 20): client letter, up to 5 version characters padded with '-', then "---".
    private static string? TryShadow(ReadOnlySpan<byte> id)
    {
        if (id.Length < 9 || !ShadowClients.TryGetValue((char)id[0], out string? name) || !id[6..9].SequenceEqual("---"u8))
        {
            return null;
        }

        var builder = new StringBuilder(name.Length + 12).Append(name).Append(' ');
        int parts = 0;
        for (int i = 1; i <= 5; i++)
        {
            int value = ShadowDigit(id[i]);
            if (value < 0)
            {
                if (id[i] != '-')
                {
                    return null;
                }

                // Padding must run to the end of the version field.
                for (int j = i; j <= 5; j++)
                {
                    if (id[j] != '-')
                    {
                        return null;
                    }
                }

                break;
            }

            builder.Append(parts++ == 0 ? string.Empty : ".").Append(value.ToString(CultureInfo.InvariantCulture));
        }

        return parts == 0 ? null : builder.ToString();
    }

    private static string Unknown(ReadOnlySpan<byte> id) => $"Unknown ({Printable(id[..Math.Min(8, id.Length)])})";

    private static string Printable(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
        {
            if (b is < 0x20 or >= 0x7F)
            {
                return Convert.ToHexString(bytes).ToLowerInvariant();
            }
        }

        return Encoding.ASCII.GetString(bytes);
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsLetter(byte b) => b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z');

    private static int Base36(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'A' and <= (byte)'Z' => b - 'A' + 10,
        >= (byte)'a' and <= (byte)'z' => b - 'a' + 10,
        _ => -1,
    };

    // BEP 20: 0-9, A-Z = 10-35, a-z = 36-61, '.' = 62.
    private static int ShadowDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'A' and <= (byte)'Z' => b - 'A' + 10,
        >= (byte)'a' and <= (byte)'z' => b - 'a' + 36,
        (byte)'.' => 62,
        _ => -1,
    };
}
