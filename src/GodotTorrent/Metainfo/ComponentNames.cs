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

    // A copy of each cached name's bytes in one buffer (a slot each): names read straight from
    // the input as spans are cached as well as decoded ones, and a miss allocates nothing.
    private readonly byte[] _bytes = new byte[Slots * MaxCachedBytes];
    private readonly int[] _lengths = new int[Slots];
    private readonly string?[] _names = new string?[Slots];

    /// <summary>The bytes as UTF-8 text (invalid sequences become U+FFFD), as <c>BString.Text</c> gives it.</summary>
    public string Get(BString value) => Get(value.Span);

    /// <inheritdoc cref="Get(BString)"/>
    public string Get(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxCachedBytes)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var hash = new HashCode();
        hash.AddBytes(bytes);
        int slot = hash.ToHashCode() & (Slots - 1);
        var cached = _bytes.AsSpan(slot * MaxCachedBytes, MaxCachedBytes);
        if (_names[slot] is { } known && _lengths[slot] == bytes.Length && bytes.SequenceEqual(cached[..bytes.Length]))
        {
            return known;
        }

        var name = Encoding.UTF8.GetString(bytes);
        bytes.CopyTo(cached);
        _lengths[slot] = bytes.Length;
        _names[slot] = name;
        return name;
    }
}
