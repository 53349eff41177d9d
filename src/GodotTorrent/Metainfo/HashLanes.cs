using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GodotTorrent.Metainfo;

/// <summary>
/// A hash of sixteen messages of equal length at once, one per 32-bit lane of AVX-512 vectors
/// (<see cref="Sha1Lanes"/>, <see cref="Sha256Lanes"/>): the CPU test, appending whole blocks
/// (each loaded as sixteen vectors of big-endian words, word t of every message in vector t),
/// padding and writing the digests. A subclass holds its state words and compresses one block.
/// </summary>
internal abstract class HashLanes
{
    /// <summary>The number of messages hashed together.</summary>
    public const int Count = 16;

    /// <summary>The size of a block of SHA-1 and SHA-256 alike.</summary>
    public const int BlockSize = 64;

    // Big-endian words: each 32-bit lane's bytes reversed.
    private static readonly Vector512<byte> ByteSwap = Vector512.Create(
        (byte)3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12,
        19, 18, 17, 16, 23, 22, 21, 20, 27, 26, 25, 24, 31, 30, 29, 28,
        35, 34, 33, 32, 39, 38, 37, 36, 43, 42, 41, 40, 47, 46, 45, 44,
        51, 50, 49, 48, 55, 54, 53, 52, 59, 58, 57, 56, 63, 62, 61, 60);

    private readonly byte[] _tail = new byte[Count * 2 * BlockSize];
    private readonly uint[] _initialState;

    /// <summary>A hash whose state is <paramref name="initialState"/>'s 32-bit words per message, each starting from that value.</summary>
    protected HashLanes(uint[] initialState)
    {
        _initialState = initialState;
        State = new Vector512<uint>[initialState.Length];
        Reset();
    }

    /// <summary>True when this CPU and runtime run the 512-bit instructions the lanes need.</summary>
    public static bool IsSupported => Avx512F.IsSupported && Avx512BW.IsSupported && Vector512.IsHardwareAccelerated;

    /// <summary>The block being compressed: word t of every message in vector t.</summary>
    protected Vector512<uint>[] Words { get; } = new Vector512<uint>[16];

    /// <summary>The chaining state, word i of every message in vector i; the digest is these words, big-endian.</summary>
    protected Vector512<uint>[] State { get; }

    /// <summary>
    /// Appends <paramref name="blocks"/> whole blocks to every message: message <c>l</c>'s bytes
    /// start at <c>data[l * stride]</c>.
    /// </summary>
    public void Append(ReadOnlySpan<byte> data, int stride, int blocks)
    {
        CheckSpan(data.Length, stride, blocks);
        ref byte start = ref MemoryMarshal.GetReference(data);
        for (int block = 0; block < blocks; block++)
        {
            LoadWords(ref start, (nuint)stride, (nuint)(block * BlockSize), Words);
            Compress();
        }
    }

    /// <summary>
    /// Ends the sixteen messages, all <paramref name="length"/> bytes long, writes their digests one
    /// after another to <paramref name="digests"/> and starts over. The last <c>length % 64</c>
    /// bytes of message <c>l</c>, not yet appended, start at <c>tails[l * stride]</c>.
    /// </summary>
    public void Finish(ReadOnlySpan<byte> tails, int stride, long length, Span<byte> digests)
    {
        int digestSize = State.Length * sizeof(uint);
        ArgumentOutOfRangeException.ThrowIfLessThan(digests.Length, Count * digestSize, nameof(digests));
        int padded = Pad(tails, stride, length, _tail);
        Append(_tail, padded, padded / BlockSize);
        Span<uint> lanes = stackalloc uint[Count];
        for (int word = 0; word < State.Length; word++)
        {
            State[word].CopyTo(lanes);
            for (int lane = 0; lane < Count; lane++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(digests.Slice((lane * digestSize) + (word * sizeof(uint)), sizeof(uint)), lanes[lane]);
            }
        }

        Reset();
    }

    /// <summary>Folds <see cref="Words"/> into <see cref="State"/>.</summary>
    protected abstract void Compress();

    // Starts sixteen new messages.
    private void Reset()
    {
        for (int i = 0; i < _initialState.Length; i++)
        {
            State[i] = Vector512.Create(_initialState[i]);
        }
    }

    /// <summary>Throws unless sixteen messages of <paramref name="blocks"/> blocks, <paramref name="stride"/> apart, fit in <paramref name="length"/> bytes.</summary>
    private static void CheckSpan(long length, int stride, int blocks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(blocks);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, blocks * BlockSize);
        if (blocks > 0 && length < ((Count - 1) * (long)stride) + (blocks * BlockSize))
        {
            throw new ArgumentException("The data is shorter than sixteen strides.");
        }

        if (!IsSupported)
        {
            throw new PlatformNotSupportedException();
        }
    }

    /// <summary>
    /// Pads each message's last <c>length % 64</c> bytes (at <c>tails[l * stride]</c>) as SHA-1 and
    /// SHA-256 do (0x80, zeros, the length in bits, big-endian) into <paramref name="padded"/>;
    /// returns the padded stride, one or two blocks.
    /// </summary>
    private static int Pad(ReadOnlySpan<byte> tails, int stride, long length, byte[] padded)
    {
        int tail = (int)(length % BlockSize);
        if (tail > 0 && tails.Length < ((Count - 1) * (long)stride) + tail)
        {
            throw new ArgumentException("The tails are shorter than sixteen strides.", nameof(tails));
        }

        int size = tail + 9 <= BlockSize ? BlockSize : 2 * BlockSize;
        Array.Clear(padded);
        for (int lane = 0; lane < Count; lane++)
        {
            var message = padded.AsSpan(lane * size, size);
            tails.Slice(lane * stride, tail).CopyTo(message);
            message[tail] = 0x80;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(message[^8..], (ulong)length * 8);
        }

        return size;
    }

    // Word t of every message's block into words[t]: sixteen rows of sixteen words, transposed
    // with interleaves and 128-bit lane shuffles (no gathers), then made big-endian. Locals, not
    // spans, so the 32 vector registers hold the whole block.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LoadWords(ref byte start, nuint stride, nuint offset, Vector512<uint>[] words)
    {
        var r0 = Vector512.LoadUnsafe(ref start, offset).AsUInt32();
        var r1 = Vector512.LoadUnsafe(ref start, stride + offset).AsUInt32();
        var r2 = Vector512.LoadUnsafe(ref start, (2 * stride) + offset).AsUInt32();
        var r3 = Vector512.LoadUnsafe(ref start, (3 * stride) + offset).AsUInt32();
        var r4 = Vector512.LoadUnsafe(ref start, (4 * stride) + offset).AsUInt32();
        var r5 = Vector512.LoadUnsafe(ref start, (5 * stride) + offset).AsUInt32();
        var r6 = Vector512.LoadUnsafe(ref start, (6 * stride) + offset).AsUInt32();
        var r7 = Vector512.LoadUnsafe(ref start, (7 * stride) + offset).AsUInt32();
        var r8 = Vector512.LoadUnsafe(ref start, (8 * stride) + offset).AsUInt32();
        var r9 = Vector512.LoadUnsafe(ref start, (9 * stride) + offset).AsUInt32();
        var r10 = Vector512.LoadUnsafe(ref start, (10 * stride) + offset).AsUInt32();
        var r11 = Vector512.LoadUnsafe(ref start, (11 * stride) + offset).AsUInt32();
        var r12 = Vector512.LoadUnsafe(ref start, (12 * stride) + offset).AsUInt32();
        var r13 = Vector512.LoadUnsafe(ref start, (13 * stride) + offset).AsUInt32();
        var r14 = Vector512.LoadUnsafe(ref start, (14 * stride) + offset).AsUInt32();
        var r15 = Vector512.LoadUnsafe(ref start, (15 * stride) + offset).AsUInt32();

        // Pairs of messages interleaved by 32-bit word.
        var p0 = Avx512F.UnpackLow(r0, r1);
        var p1 = Avx512F.UnpackHigh(r0, r1);
        var p2 = Avx512F.UnpackLow(r2, r3);
        var p3 = Avx512F.UnpackHigh(r2, r3);
        var p4 = Avx512F.UnpackLow(r4, r5);
        var p5 = Avx512F.UnpackHigh(r4, r5);
        var p6 = Avx512F.UnpackLow(r6, r7);
        var p7 = Avx512F.UnpackHigh(r6, r7);
        var p8 = Avx512F.UnpackLow(r8, r9);
        var p9 = Avx512F.UnpackHigh(r8, r9);
        var p10 = Avx512F.UnpackLow(r10, r11);
        var p11 = Avx512F.UnpackHigh(r10, r11);
        var p12 = Avx512F.UnpackLow(r12, r13);
        var p13 = Avx512F.UnpackHigh(r12, r13);
        var p14 = Avx512F.UnpackLow(r14, r15);
        var p15 = Avx512F.UnpackHigh(r14, r15);

        // q(4i + j), 128-bit lane k: word 4k + j of messages 4i to 4i + 3.
        var q0 = Low64(p0, p2);
        var q1 = High64(p0, p2);
        var q2 = Low64(p1, p3);
        var q3 = High64(p1, p3);
        var q4 = Low64(p4, p6);
        var q5 = High64(p4, p6);
        var q6 = Low64(p5, p7);
        var q7 = High64(p5, p7);
        var q8 = Low64(p8, p10);
        var q9 = High64(p8, p10);
        var q10 = Low64(p9, p11);
        var q11 = High64(p9, p11);
        var q12 = Low64(p12, p14);
        var q13 = High64(p12, p14);
        var q14 = Low64(p13, p15);
        var q15 = High64(p13, p15);

        ref Vector512<uint> w = ref MemoryMarshal.GetArrayDataReference(words);
        Gather(ref w, 0, q0, q4, q8, q12);
        Gather(ref w, 1, q1, q5, q9, q13);
        Gather(ref w, 2, q2, q6, q10, q14);
        Gather(ref w, 3, q3, q7, q11, q15);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Low64(Vector512<uint> left, Vector512<uint> right) => Avx512F.UnpackLow(left.AsUInt64(), right.AsUInt64()).AsUInt32();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> High64(Vector512<uint> left, Vector512<uint> right) => Avx512F.UnpackHigh(left.AsUInt64(), right.AsUInt64()).AsUInt32();

    // Words j, 4 + j, 8 + j and 12 + j of all sixteen messages from the 4x4 blocks of q(j), q(4 + j), q(8 + j), q(12 + j).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Gather(ref Vector512<uint> w, int j, Vector512<uint> u0, Vector512<uint> u1, Vector512<uint> u2, Vector512<uint> u3)
    {
        var low01 = Avx512F.Shuffle4x128(u0, u1, 0x44);
        var high01 = Avx512F.Shuffle4x128(u0, u1, 0xEE);
        var low23 = Avx512F.Shuffle4x128(u2, u3, 0x44);
        var high23 = Avx512F.Shuffle4x128(u2, u3, 0xEE);
        Unsafe.Add(ref w, j) = Swap(Avx512F.Shuffle4x128(low01, low23, 0x88));
        Unsafe.Add(ref w, 4 + j) = Swap(Avx512F.Shuffle4x128(low01, low23, 0xDD));
        Unsafe.Add(ref w, 8 + j) = Swap(Avx512F.Shuffle4x128(high01, high23, 0x88));
        Unsafe.Add(ref w, 12 + j) = Swap(Avx512F.Shuffle4x128(high01, high23, 0xDD));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Swap(Vector512<uint> words) => Avx512BW.Shuffle(words.AsByte(), ByteSwap).AsUInt32();
}
