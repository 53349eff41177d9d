using System.Buffers;
using System.Globalization;

namespace GodotTorrent.Bencoding;

/// <summary>Canonical bencode encoder: the output of any value is unique, so it can be hashed.</summary>
internal static class BencodeWriter
{
    // Copying big strings in bounded chunks keeps a buffer writer from growing one huge segment.
    private const int ChunkSize = 64 * 1024;

    /// <summary>Encodes <paramref name="value"/> into a new array.</summary>
    public static byte[] Encode(BValue value)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, value);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Appends the encoding of <paramref name="value"/> to <paramref name="output"/>.</summary>
    public static void Write(IBufferWriter<byte> output, BValue value)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value);
        switch (value)
        {
            case BInteger integer:
                WriteInteger(output, integer.Value);
                break;
            case BString text:
                WriteString(output, text.Span);
                break;
            case BList list:
                WriteByte(output, (byte)'l');
                foreach (var item in list)
                {
                    Write(output, item);
                }

                WriteByte(output, (byte)'e');
                break;
            case BDictionary dictionary:
                WriteByte(output, (byte)'d');
                foreach (var entry in SortedEntries(dictionary))
                {
                    WriteString(output, entry.Key.Span);
                    Write(output, entry.Value);
                }

                WriteByte(output, (byte)'e');
                break;
            case BRaw raw:
                output.Write(raw.Encoded.Span);
                break;
            default:
                throw new ArgumentException($"Unknown bencode value type {value.GetType()}", nameof(value));
        }
    }

    // BEP 3: dictionary keys must appear in sorted order, compared as raw strings, not text.
    private static IReadOnlyList<KeyValuePair<BString, BValue>> SortedEntries(BDictionary dictionary)
    {
        var entries = dictionary.Entries;
        for (int i = 1; i < entries.Count; i++)
        {
            if (entries[i - 1].Key.Span.SequenceCompareTo(entries[i].Key.Span) > 0)
            {
                var sorted = entries.ToArray();
                Array.Sort(sorted, static (a, b) => a.Key.Span.SequenceCompareTo(b.Key.Span));
                return sorted;
            }
        }

        return entries;
    }

    private static void WriteByte(IBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void WriteInteger(IBufferWriter<byte> output, long value)
    {
        // 'i' + up to 20 characters of long.MinValue + 'e'.
        var span = output.GetSpan(22);
        span[0] = (byte)'i';
        value.TryFormat(span[1..], out int written, default, CultureInfo.InvariantCulture);
        span[1 + written] = (byte)'e';
        output.Advance(written + 2);
    }

    private static void WriteString(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        // Up to 10 digits of int.MaxValue + ':'.
        var span = output.GetSpan(11);
        bytes.Length.TryFormat(span, out int written, default, CultureInfo.InvariantCulture);
        span[written] = (byte)':';
        output.Advance(written + 1);

        while (!bytes.IsEmpty)
        {
            var destination = output.GetSpan(Math.Min(bytes.Length, ChunkSize));
            int count = Math.Min(bytes.Length, destination.Length);
            bytes[..count].CopyTo(destination);
            output.Advance(count);
            bytes = bytes[count..];
        }
    }
}
