using System.Numerics;

namespace GodotTorrent;

/// <summary>
/// A fixed-size set of piece indices, stored as the wire protocol sends it (BEP 3): the first
/// piece is the high bit of the first byte, spare bits at the end are zero. Not thread-safe;
/// snapshots handed to users are copies.
/// </summary>
public sealed class Bitfield : IEquatable<Bitfield>
{
    private readonly ulong[] _words;
    private int _setCount;

    /// <summary>Creates a bitfield of <paramref name="count"/> bits, all clear (or all set).</summary>
    public Bitfield(int count, bool value = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Count = count;
        _words = new ulong[(count + 63) / 64];
        if (value)
        {
            SetAll(true);
        }
    }

    /// <summary>Number of bits (pieces).</summary>
    public int Count { get; }

    /// <summary>Number of bits set.</summary>
    public int SetCount => _setCount;

    /// <summary>True when every bit is set (and there is at least one bit).</summary>
    public bool AllSet => _setCount == Count;

    /// <summary>True when no bit is set.</summary>
    public bool NoneSet => _setCount == 0;

    /// <summary>Number of bytes of the wire form.</summary>
    public int ByteLength => (Count + 7) / 8;

    /// <summary>Gets or sets one bit.</summary>
    public bool this[int index]
    {
        get
        {
            CheckIndex(index);
            return (_words[index >> 6] & (1UL << (index & 63))) != 0;
        }

        set
        {
            CheckIndex(index);
            ref ulong word = ref _words[index >> 6];
            ulong mask = 1UL << (index & 63);
            bool current = (word & mask) != 0;
            if (current == value)
            {
                return;
            }

            word ^= mask;
            _setCount += value ? 1 : -1;
        }
    }

    /// <summary>Parses the wire form; spare bits past <paramref name="count"/> must be zero.</summary>
    /// <exception cref="FormatException">The length is wrong or a spare bit is set.</exception>
    public static Bitfield FromBytes(ReadOnlySpan<byte> bytes, int count)
    {
        var field = new Bitfield(count);
        if (bytes.Length != field.ByteLength)
        {
            throw new FormatException($"A bitfield of {count} pieces has {field.ByteLength} bytes, not {bytes.Length}.");
        }

        for (int i = 0; i < bytes.Length; i++)
        {
            byte b = bytes[i];
            for (int bit = 0; bit < 8 && b != 0; bit++)
            {
                if ((b & (0x80 >> bit)) != 0)
                {
                    int index = i * 8 + bit;
                    if (index >= count)
                    {
                        throw new FormatException("A bitfield has bits set past the last piece.");
                    }

                    field[index] = true;
                }
            }
        }

        return field;
    }

    /// <summary>Sets or clears every bit.</summary>
    public void SetAll(bool value)
    {
        Array.Fill(_words, value ? ulong.MaxValue : 0UL);
        if (value && Count % 64 != 0)
        {
            _words[^1] = (1UL << (Count % 64)) - 1;
        }

        _setCount = value ? Count : 0;
    }

    /// <summary>Writes the wire form into <paramref name="destination"/> (at least <see cref="ByteLength"/> bytes).</summary>
    public void CopyTo(Span<byte> destination)
    {
        destination[..ByteLength].Clear();
        for (int w = 0; w < _words.Length; w++)
        {
            ulong word = _words[w];
            while (word != 0)
            {
                int bit = BitOperations.TrailingZeroCount(word);
                int index = (w << 6) + bit;
                destination[index >> 3] |= (byte)(0x80 >> (index & 7));
                word &= word - 1;
            }
        }
    }

    /// <summary>The wire form as a new array.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[ByteLength];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>A copy.</summary>
    public Bitfield Clone()
    {
        var copy = new Bitfield(Count);
        _words.CopyTo(copy._words, 0);
        copy._setCount = _setCount;
        return copy;
    }

    /// <summary>Index of the first set bit at or after <paramref name="start"/>, or -1.</summary>
    public int NextSet(int start) => Next(start, invert: false);

    /// <summary>Index of the first clear bit at or after <paramref name="start"/>, or -1.</summary>
    public int NextClear(int start) => Next(start, invert: true);

    /// <summary>The indices of the set bits, in order.</summary>
    public IEnumerable<int> SetIndices()
    {
        for (int i = NextSet(0); i >= 0; i = NextSet(i + 1))
        {
            yield return i;
        }
    }

    /// <summary>A string of '1' and '0', one per piece (as libtorrent's tools print a have-bitfield).</summary>
    public override string ToString() => string.Create(Count, this, static (span, field) =>
    {
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = field[i] ? '1' : '0';
        }
    });

    /// <inheritdoc/>
    public bool Equals(Bitfield? other) => other is not null && other.Count == Count && other._words.AsSpan().SequenceEqual(_words);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as Bitfield);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Count, _setCount);

    private int Next(int start, bool invert)
    {
        if (start < 0 || start >= Count)
        {
            return -1;
        }

        int w = start >> 6;
        ulong word = (invert ? ~_words[w] : _words[w]) & (ulong.MaxValue << (start & 63));
        while (true)
        {
            if (word != 0)
            {
                int index = (w << 6) + BitOperations.TrailingZeroCount(word);
                return index < Count ? index : -1;
            }

            if (++w >= _words.Length)
            {
                return -1;
            }

            word = invert ? ~_words[w] : _words[w];
        }
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"A piece index is from 0 to {Count - 1}.");
        }
    }
}
