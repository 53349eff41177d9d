using System.Text;
using GodotTorrent.Bencoding;

namespace GodotTorrent.Metainfo;

/// <summary>
/// The text of path components while one torrent is parsed: a folder name repeated by many files
/// (or one name repeated by a hostile torrent) becomes one string, not one per file. A small
/// direct-mapped cache, so a torrent of all-different names costs a hash and a compare per name.
/// </summary>
internal sealed class ComponentNames
{
    private const int Slots = 256;

    // Longer names are rarely repeated and would cost more to compare than to decode.
    private const int MaxCachedBytes = 64;

    // The decoded strings' own bytes (slices of the parse's input): a miss copies nothing.
    private readonly ReadOnlyMemory<byte>[] _bytes = new ReadOnlyMemory<byte>[Slots];
    private readonly string?[] _names = new string?[Slots];

    /// <summary>The bytes as UTF-8 text (invalid sequences become U+FFFD), as <c>BString.Text</c> gives it.</summary>
    public string Get(BString value)
    {
        var bytes = value.Span;
        if (bytes.Length > MaxCachedBytes)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var hash = new HashCode();
        hash.AddBytes(bytes);
        int slot = hash.ToHashCode() & (Slots - 1);
        if (_names[slot] is not null && bytes.SequenceEqual(_bytes[slot].Span))
        {
            return _names[slot]!;
        }

        var name = Encoding.UTF8.GetString(bytes);
        _bytes[slot] = value.Bytes;
        _names[slot] = name;
        return name;
    }
}
