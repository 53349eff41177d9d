using GodotTorrent.Bencoding;

namespace GodotTorrent.Dht.Items;

/// <summary>
/// Reading the item fields of KRPC dictionaries, never trusting a length: every string is checked
/// against its fixed or maximum size before it is copied.
/// </summary>
internal static class DhtItemArguments
{
    /// <summary>The longest write token accepted (libtorrent sends 4 bytes, others up to 20).</summary>
    public const int MaxTokenLength = 64;

    /// <summary>
    /// The bencoded bytes of <paramref name="value"/>: the exact bytes it was read from in
    /// <paramref name="packet"/> (what the signer signed) when it came from there, else re-encoded.
    /// Null when the value is larger than BEP 44 allows.
    /// </summary>
    public static byte[]? EncodedValue(BValue value, ReadOnlySpan<byte> packet)
    {
        if (value.SourceOffset >= 0 && value.SourceLength > 0 && (long)value.SourceOffset + value.SourceLength <= packet.Length)
        {
            return value.SourceLength > DhtItemFormat.MaxValueLength
                ? null
                : packet.Slice(value.SourceOffset, value.SourceLength).ToArray();
        }

        byte[] encoded = BencodeWriter.Encode(value);
        return encoded.Length > DhtItemFormat.MaxValueLength ? null : encoded;
    }

    /// <summary>The bytes of string <paramref name="key"/> when present, a byte string and of a length allowed; <paramref name="present"/> says whether the key was there at all.</summary>
    public static bool TryGetBytes(BDictionary dictionary, string key, int minLength, int maxLength, out byte[]? bytes, out bool present)
    {
        bytes = null;
        present = dictionary.TryGetValue(key, out BValue? value);
        if (!present)
        {
            return true;
        }

        if (value is not BString text || text.Bytes.Length < minLength || text.Bytes.Length > maxLength)
        {
            return false;
        }

        bytes = text.Bytes.ToArray();
        return true;
    }

    /// <summary>The integer under <paramref name="key"/>: null when absent; false when present but not an integer.</summary>
    public static bool TryGetInteger(BDictionary dictionary, string key, out long? number)
    {
        number = null;
        if (!dictionary.TryGetValue(key, out BValue? value))
        {
            return true;
        }

        if (value is not BInteger integer)
        {
            return false;
        }

        number = integer.Value;
        return true;
    }
}
