namespace GodotTorrent.Bencoding;

/// <summary>
/// Strict bencode decoder. Every value it returns records its exact byte range in the input
/// (<see cref="BValue.SourceOffset"/>, <see cref="BValue.SourceLength"/>), so an info dictionary
/// can be hashed as received even when its keys were not sorted. Malformed input of any kind
/// ends in a <see cref="BencodeException"/> with a code and offset, never another exception.
/// </summary>
internal static class BencodeReader
{
    // long.MinValue / 10: the last accumulator value that can still take one more digit.
    private const long OverflowThreshold = -922_337_203_685_477_580L;

    // Below this many keys a linear scan for duplicates beats building a hash set.
    private const int LinearKeyScanLimit = 16;

    // Small messages (peer extensions, DHT) never reach the key cache, so they do not pay for it.
    private const int KeyCacheThreshold = 256;
    private const int KeyCacheSize = 64;

    /// <summary>Decodes <paramref name="input"/>, which must hold exactly one value.</summary>
    /// <exception cref="BencodeException">The input is malformed, exceeds a limit, or has bytes after the value.</exception>
    public static BValue Decode(ReadOnlySpan<byte> input, BencodeLimits? limits = null)
    {
        var value = DecodePrefix(input, out int consumed, limits);
        if (consumed != input.Length)
        {
            throw new BencodeException(ErrorCode.TrailingData, "Bytes follow the top-level value", consumed);
        }

        return value;
    }

    /// <summary>
    /// Decodes the one value at the start of <paramref name="input"/> and reports how many bytes it
    /// took; bytes after it are left alone (a BEP 9 metadata piece follows its dictionary).
    /// </summary>
    /// <exception cref="BencodeException">The value is malformed or exceeds a limit.</exception>
    public static BValue DecodePrefix(ReadOnlySpan<byte> input, out int consumed, BencodeLimits? limits = null) =>
        DecodePrefix(input, default, 0, out consumed, limits, null, null);

    /// <summary>
    /// Decodes <paramref name="input"/>, which must hold exactly one value, with byte strings that
    /// are slices of <paramref name="input"/> instead of copies: for a large document decoded and
    /// dropped at once (a torrent file), where a copy per string is most of the garbage. The
    /// caller must copy any bytes it keeps, or it keeps the whole input alive.
    /// </summary>
    /// <exception cref="BencodeException">The input is malformed, exceeds a limit, or has bytes after the value.</exception>
    public static BValue DecodeSliced(ReadOnlyMemory<byte> input, BencodeLimits? limits = null, BencodeListSink? sink = null, BencodeDictionarySink? dictionarySink = null) =>
        DecodeSliced(input.Span, input, 0, limits, sink, dictionarySink);

    /// <summary>
    /// As <see cref="DecodeSliced(ReadOnlyMemory{byte}, BencodeLimits?, BencodeListSink?, BencodeDictionarySink?)"/>,
    /// with only the strings inside <paramref name="window"/> (a copy of the input's bytes from
    /// <paramref name="windowStart"/>) slicing it; the others are copied. For a document of which
    /// the caller keeps one part anyway (a torrent's info dictionary): no second copy of the whole.
    /// </summary>
    /// <exception cref="BencodeException">The input is malformed, exceeds a limit, or has bytes after the value.</exception>
    public static BValue DecodeSliced(ReadOnlySpan<byte> input, ReadOnlyMemory<byte> window, int windowStart, BencodeLimits? limits = null, BencodeListSink? sink = null, BencodeDictionarySink? dictionarySink = null)
    {
        var value = DecodePrefix(input, window, windowStart, out int consumed, limits, sink, dictionarySink);
        if (consumed != input.Length)
        {
            throw new BencodeException(ErrorCode.TrailingData, "Bytes follow the top-level value", consumed);
        }

        return value;
    }

    /// <summary>
    /// Where the value under <paramref name="key"/> of a top-level dictionary lies, found by
    /// stepping over values without decoding or checking them (no allocation); false when the
    /// input does not look like such a dictionary or has no such key. Only a hint: the caller
    /// still decodes, and malformed input fails there.
    /// </summary>
    public static bool TryFindTopLevelValue(ReadOnlySpan<byte> input, ReadOnlySpan<byte> key, out int start, out int length)
    {
        start = 0;
        length = 0;
        if (input.IsEmpty || input[0] != (byte)'d')
        {
            return false;
        }

        int pos = 1;
        while (pos < input.Length && input[pos] != (byte)'e')
        {
            if (!TrySkipString(input, ref pos, out int keyStart, out int keyLength))
            {
                return false;
            }

            int valueStart = pos;
            if (!TrySkipValue(input, ref pos))
            {
                return false;
            }

            if (input.Slice(keyStart, keyLength).SequenceEqual(key))
            {
                start = valueStart;
                length = pos - valueStart;
                return true;
            }
        }

        return false;
    }

    // backing is empty to copy strings out of input, or the input's bytes from backingStart, for
    // the strings inside it to slice it.
    private static BValue DecodePrefix(ReadOnlySpan<byte> input, ReadOnlyMemory<byte> backing, int backingStart, out int consumed, BencodeLimits? limits, BencodeListSink? sink, BencodeDictionarySink? dictionarySink)
    {
        limits ??= BencodeLimits.Default;
        if (input.Length > limits.MaxInputLength)
        {
            throw new BencodeException(ErrorCode.InputTooLarge, $"Input of {input.Length} bytes exceeds the limit of {limits.MaxInputLength}", limits.MaxInputLength);
        }

        // An explicit stack instead of recursion: no limit setting can overflow the thread's stack.
        var frames = Array.Empty<Frame>();
        int depth = 0;
        int pos = 0;
        int elements = 0;
        BString?[]? keyCache = null;

        while (true)
        {
            BValue value;
            if (depth > 0 && frames[depth - 1].Dictionary is not null && frames[depth - 1].PendingKey is null)
            {
                byte b = Peek(input, pos);
                if (b == (byte)'e')
                {
                    value = Close(frames, ref depth, ref pos);
                }
                else if (IsDigit(b))
                {
                    CountElement(ref elements, limits, pos);
                    int keyStart = pos;
                    var key = ReadKey(input, backing, backingStart, ref pos, limits, elements, ref keyCache);
                    ref var frame = ref frames[depth - 1];
                    if (IsDuplicateKey(ref frame, key))
                    {
                        throw new BencodeException(ErrorCode.InvalidKey, $"Duplicate dictionary key '{key.Text}'", keyStart);
                    }

                    frame.PendingKey = key;
                    continue;
                }
                else if (b is (byte)'i' or (byte)'l' or (byte)'d')
                {
                    throw new BencodeException(ErrorCode.InvalidKey, "Dictionary key is not a byte string", pos);
                }
                else
                {
                    throw InvalidToken(b, pos);
                }
            }
            else if (depth > 0 && frames[depth - 1].ToSink && TryReadItem(input, ref pos, ref frames[depth - 1], depth, ref elements, limits, sink, dictionarySink))
            {
                continue;
            }
            else
            {
                byte b = Peek(input, pos);
                switch (b)
                {
                    case (byte)'i':
                        CountElement(ref elements, limits, pos);
                        value = ReadInteger(input, ref pos);
                        break;
                    case (byte)'l':
                    case (byte)'d':
                        CountElement(ref elements, limits, pos);
                        if (depth >= limits.MaxDepth)
                        {
                            throw new BencodeException(ErrorCode.DepthExceeded, $"Nesting deeper than {limits.MaxDepth}", pos);
                        }

                        if (depth == frames.Length)
                        {
                            Array.Resize(ref frames, Math.Min(Math.Max(8, frames.Length * 2), limits.MaxDepth));
                        }

                        frames[depth] = b == (byte)'l'
                            ? new Frame { List = new BList(), Start = pos, ToSink = sink is not null && IsSinkPath(frames, depth, sink.Path) }
                            : new Frame { Dictionary = new BDictionary(), Start = pos, ToSink = dictionarySink is not null && IsSinkPath(frames, depth, dictionarySink.Path) };
                        depth++;
                        pos++;
                        continue;
                    case (byte)'e' when depth > 0 && frames[depth - 1].List is not null:
                        value = Close(frames, ref depth, ref pos);
                        break;
                    default:
                        if (!IsDigit(b))
                        {
                            throw InvalidToken(b, pos);
                        }

                        CountElement(ref elements, limits, pos);
                        value = ReadString(input, backing, backingStart, ref pos, limits);
                        break;
                }
            }

            if (depth == 0)
            {
                consumed = pos;
                return value;
            }

            ref var parent = ref frames[depth - 1];
            if (parent.List is not null)
            {
                if (parent.ToSink)
                {
                    sink!.Add(value);
                }
                else
                {
                    parent.List.Add(value);
                }
            }
            else
            {
                if (parent.ToSink)
                {
                    dictionarySink!.Add(parent.PendingKey!, value);
                    value = BencodeDictionarySink.Taken;
                }

                parent.Dictionary!.AddUnchecked(parent.PendingKey!, value);
                parent.PendingKey = null;
            }
        }
    }

    private static byte Peek(ReadOnlySpan<byte> input, int pos)
    {
        if ((uint)pos >= (uint)input.Length)
        {
            throw new BencodeException(ErrorCode.UnexpectedEnd, "Input ended inside a value", pos);
        }

        return input[pos];
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static BencodeException InvalidToken(byte b, int pos) =>
        new(ErrorCode.InvalidToken, $"Byte 0x{b:X2} cannot start a value here", pos);

    private static void CountElement(ref int elements, BencodeLimits limits, int pos)
    {
        if (++elements > limits.MaxElements)
        {
            throw new BencodeException(ErrorCode.TooManyElements, $"More than {limits.MaxElements} values", pos);
        }
    }

    // A sink's reader takes the item at pos when it knows its shape: no values are decoded for it.
    private static bool TryReadItem(ReadOnlySpan<byte> input, ref int pos, ref Frame parent, int depth, ref int elements, BencodeLimits limits, BencodeListSink? sink, BencodeDictionarySink? dictionarySink)
    {
        var reader = parent.List is not null ? sink!.Reader : dictionarySink!.Reader;
        var budget = new BencodeItemBudget(limits.MaxElements - elements, limits.MaxDepth - depth, limits.MaxStringLength);
        if (reader is null || (uint)pos >= (uint)input.Length || !reader(parent.PendingKey, input, pos, budget, out int end, out int values))
        {
            return false;
        }

        elements += values;
        pos = end;
        if (parent.Dictionary is not null)
        {
            parent.Dictionary.AddUnchecked(parent.PendingKey!, BencodeDictionarySink.Taken);
            parent.PendingKey = null;
        }

        return true;
    }

    // The container opening at this depth is a sink's when each dictionary above it holds it under the sink's key.
    private static bool IsSinkPath(Frame[] frames, int depth, byte[][] path)
    {
        if (depth != path.Length)
        {
            return false;
        }

        for (int i = 0; i < depth; i++)
        {
            if (frames[i].PendingKey is not { } key || !key.Span.SequenceEqual(path[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static BValue Close(Frame[] frames, ref int depth, ref int pos)
    {
        ref var frame = ref frames[depth - 1];
        BValue container = (BValue?)frame.List ?? frame.Dictionary!;
        container.SourceOffset = frame.Start;
        container.SourceLength = pos + 1 - frame.Start;
        frame = default;
        depth--;
        pos++;
        return container;
    }

    // Keys usually arrive sorted, so a key above the greatest seen so far is new without a lookup;
    // only out-of-order keys pay for a scan (or a hash set, so crafted input cannot go quadratic).
    private static bool IsDuplicateKey(ref Frame frame, BString key)
    {
        if (frame.GreatestKey is null || key.Span.SequenceCompareTo(frame.GreatestKey.Span) > 0)
        {
            frame.GreatestKey = key;
            frame.Keys?.Add(key);
            return false;
        }

        var dictionary = frame.Dictionary!;
        if (frame.Keys is null)
        {
            if (dictionary.Count < LinearKeyScanLimit)
            {
                return dictionary.TryGetValue(key.Span, out _);
            }

            frame.Keys = new HashSet<BString>(dictionary.Count * 2);
            foreach (var entry in dictionary.EntrySpan)
            {
                frame.Keys.Add(entry.Key);
            }
        }

        return !frame.Keys.Add(key);
    }

    private static BInteger ReadInteger(ReadOnlySpan<byte> input, ref int pos)
    {
        int start = pos;
        int p = pos + 1;
        bool negative = false;
        if (Peek(input, p) == (byte)'-')
        {
            negative = true;
            p++;
        }

        byte first = Peek(input, p);
        if (!IsDigit(first))
        {
            throw new BencodeException(ErrorCode.InvalidInteger, "Integer has no digits", p);
        }

        long result;
        if (first == (byte)'0')
        {
            if (negative)
            {
                throw new BencodeException(ErrorCode.NonCanonicalInteger, "Negative zero", p);
            }

            byte next = Peek(input, p + 1);
            if (next != (byte)'e')
            {
                throw IsDigit(next)
                    ? new BencodeException(ErrorCode.NonCanonicalInteger, "Integer has a leading zero", p)
                    : new BencodeException(ErrorCode.InvalidInteger, $"Byte 0x{next:X2} in an integer", p + 1);
            }

            result = 0;
            p += 2;
        }
        else
        {
            // Accumulate as a negative number: its range is one larger, so long.MinValue parses.
            long accumulator = 0;
            int lastDigitLimit = negative ? 8 : 7;
            while (true)
            {
                byte b = Peek(input, p);
                if (b == (byte)'e')
                {
                    break;
                }

                int digit = b - '0';
                if ((uint)digit > 9)
                {
                    throw new BencodeException(ErrorCode.InvalidInteger, $"Byte 0x{b:X2} in an integer", p);
                }

                if (accumulator < OverflowThreshold || (accumulator == OverflowThreshold && digit > lastDigitLimit))
                {
                    throw new BencodeException(ErrorCode.IntegerOverflow, "Integer does not fit in 64 bits", p);
                }

                accumulator = (accumulator * 10) - digit;
                p++;
            }

            result = negative ? accumulator : -accumulator;
            p++;
        }

        pos = p;
        return new BInteger(result) { SourceOffset = start, SourceLength = p - start };
    }

    // A torrent of many files repeats a few keys ("length", "path") per file: past the first
    // values of a decode, short keys come from a small cache (one object each, not one per use).
    private static BString ReadKey(ReadOnlySpan<byte> input, ReadOnlyMemory<byte> backing, int backingStart, ref int pos, BencodeLimits limits, int elements, ref BString?[]? cache)
    {
        if (elements < KeyCacheThreshold)
        {
            return ReadString(input, backing, backingStart, ref pos, limits);
        }

        // A length of one digit or two (no leading zero): a key of at most 99 bytes, all of it in the input.
        int p = pos;
        int length = -1, start = -1;
        if (p + 1 < input.Length && input[p + 1] == (byte)':' && IsDigit(input[p]))
        {
            length = input[p] - '0';
            start = p + 2;
        }
        else if (p + 2 < input.Length && input[p + 2] == (byte)':' && input[p] != (byte)'0' && IsDigit(input[p]) && IsDigit(input[p + 1]))
        {
            length = ((input[p] - '0') * 10) + input[p + 1] - '0';
            start = p + 3;
        }

        if (length >= 0 && length <= limits.MaxStringLength && length <= input.Length - start)
        {
            var bytes = input.Slice(start, length);
            cache ??= new BString?[KeyCacheSize];
            int slot = length == 0 ? 0 : ((length * 31) + (bytes[0] * 7) + bytes[^1] + bytes[length / 2]) & (KeyCacheSize - 1);
            if (cache[slot] is { } cached && cached.Span.SequenceEqual(bytes))
            {
                pos = start + length;
                return cached;
            }

            var key = ReadString(input, backing, backingStart, ref pos, limits);
            cache[slot] = key;
            return key;
        }

        return ReadString(input, backing, backingStart, ref pos, limits);
    }

    private static BString ReadString(ReadOnlySpan<byte> input, ReadOnlyMemory<byte> backing, int backingStart, ref int pos, BencodeLimits limits)
    {
        int start = pos;
        int p = pos;
        if (input[p] == (byte)'0' && p + 1 < input.Length && IsDigit(input[p + 1]))
        {
            throw new BencodeException(ErrorCode.NonCanonicalInteger, "String length has a leading zero", p);
        }

        // Saturates past int.MaxValue: any such length is over every limit anyway.
        long length = 0;
        while (true)
        {
            byte b = Peek(input, p);
            if (b == (byte)':')
            {
                break;
            }

            int digit = b - '0';
            if ((uint)digit > 9)
            {
                throw new BencodeException(ErrorCode.InvalidInteger, $"Byte 0x{b:X2} in a string length", p);
            }

            if (length <= int.MaxValue)
            {
                length = (length * 10) + digit;
            }

            p++;
        }

        p++;
        if (length > limits.MaxStringLength)
        {
            throw new BencodeException(ErrorCode.StringTooLong, $"String length {length} exceeds the limit of {limits.MaxStringLength}", start);
        }

        if (length > input.Length - p)
        {
            throw new BencodeException(ErrorCode.StringTooLong, $"String length {length} runs past the end of the input", start);
        }

        int count = (int)length;
        int inBacking = p - backingStart;
        var bytes = !backing.IsEmpty && inBacking >= 0 && count <= backing.Length - inBacking
            ? backing.Slice(inBacking, count)
            : input.Slice(p, count).ToArray();
        var value = new BString(bytes) { SourceOffset = start, SourceLength = p + count - start };
        pos = p + count;
        return value;
    }

    // Steps over one string (its length's digits, ':', its bytes), noting where its bytes are.
    private static bool TrySkipString(ReadOnlySpan<byte> input, ref int pos, out int start, out int length)
    {
        start = 0;
        length = 0;
        int p = pos;
        long count = 0;
        while (p < input.Length && IsDigit(input[p]))
        {
            count = (count * 10) + input[p] - '0';
            if (count > input.Length)
            {
                return false;
            }

            p++;
        }

        if (p == pos || p >= input.Length || input[p] != (byte)':' || count > input.Length - p - 1)
        {
            return false;
        }

        start = p + 1;
        length = (int)count;
        pos = start + length;
        return true;
    }

    // Steps over one value of any kind; containers by counting their depth, not recursing.
    private static bool TrySkipValue(ReadOnlySpan<byte> input, ref int pos)
    {
        int depth = 0;
        do
        {
            if (pos >= input.Length)
            {
                return false;
            }

            byte b = input[pos];
            if (b == (byte)'i')
            {
                int end = input[pos..].IndexOf((byte)'e');
                if (end < 0)
                {
                    return false;
                }

                pos += end + 1;
            }
            else if (b is (byte)'l' or (byte)'d')
            {
                depth++;
                pos++;
            }
            else if (b == (byte)'e')
            {
                if (depth == 0)
                {
                    return false;
                }

                depth--;
                pos++;
            }
            else if (!TrySkipString(input, ref pos, out _, out _))
            {
                return false;
            }
        }
        while (depth > 0);

        return true;
    }

    private struct Frame
    {
        public BList? List;
        public BDictionary? Dictionary;
        public int Start;
        public BString? PendingKey;
        public BString? GreatestKey;
        public HashSet<BString>? Keys;
        public bool ToSink;
    }
}
