using System.Text;

namespace GodotTorrent.Bencoding;

/// <summary>
/// A bencoded dictionary. Keys are byte strings; entries keep the order they were read in
/// (the writer sorts them), and lookups by key are by exact bytes.
/// </summary>
internal sealed class BDictionary : BValue, IEquatable<BDictionary>
{
    // An array of its own, not a List: a torrent of many files decodes two or three small
    // dictionaries per file, and the List was one more object per dictionary (and twice the slots).
    private KeyValuePair<BString, BValue>[] _entries = [];
    private int _count;

    public int Count => _count;

    /// <summary>The entries in the order they were read or added (a view: entries added later are not in it).</summary>
    public IReadOnlyList<KeyValuePair<BString, BValue>> Entries => new ArraySegment<KeyValuePair<BString, BValue>>(_entries, 0, _count);

    /// <summary>The entries, as <see cref="Entries"/>, without an object per call (for walks over many dictionaries).</summary>
    internal ReadOnlySpan<KeyValuePair<BString, BValue>> EntrySpan => _entries.AsSpan(0, _count);

    /// <summary>Adds or replaces the value under <paramref name="key"/>.</summary>
    public void Set(string key, BValue value) => Set(new BString(key), value);

    /// <summary>Adds or replaces the value under <paramref name="key"/>.</summary>
    public void Set(BString key, BValue value)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_entries[i].Key.Equals(key))
            {
                _entries[i] = new(key, value);
                return;
            }
        }

        AddUnchecked(key, value);
    }

    /// <summary>Appends without looking for an existing key (the reader has checked for duplicates).</summary>
    internal void AddUnchecked(BString key, BValue value)
    {
        if (_count == _entries.Length)
        {
            // Most decoded dictionaries of a torrent of many files hold one or two entries.
            Array.Resize(ref _entries, _count == 0 ? 2 : _count * 2);
        }

        _entries[_count++] = new(key, value);
    }

    public bool ContainsKey(string key) => TryGetValue(key, out _);

    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BValue? value)
    {
        Span<byte> buffer = key.Length <= 64 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        int length = Encoding.UTF8.GetBytes(key, buffer);
        return TryGetValue(buffer[..length], out value);
    }

    public bool TryGetValue(ReadOnlySpan<byte> key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BValue? value)
    {
        foreach (var entry in EntrySpan)
        {
            if (entry.Key.Span.SequenceEqual(key))
            {
                value = entry.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <summary>The value under <paramref name="key"/> if it exists and has type <typeparamref name="T"/>; otherwise null.</summary>
    public T? Get<T>(string key)
        where T : BValue => TryGetValue(key, out var value) ? value as T : null;

    /// <summary>As <see cref="Get{T}(string)"/>, with the key as UTF-8 bytes (a <c>u8</c> literal needs no encoding per call).</summary>
    public T? Get<T>(ReadOnlySpan<byte> key)
        where T : BValue => TryGetValue(key, out var value) ? value as T : null;

    public bool Remove(string key)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        for (int i = 0; i < _count; i++)
        {
            if (_entries[i].Key.Span.SequenceEqual(bytes))
            {
                Array.Copy(_entries, i + 1, _entries, i, _count - i - 1);
                _entries[--_count] = default;
                return true;
            }
        }

        return false;
    }

    public bool Equals(BDictionary? other)
    {
        if (other is null || other.Count != Count)
        {
            return false;
        }

        foreach (var entry in EntrySpan)
        {
            if (!other.TryGetValue(entry.Key.Span, out var value) || !value.Equals(entry.Value))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as BDictionary);

    public override int GetHashCode() => Count;
}
