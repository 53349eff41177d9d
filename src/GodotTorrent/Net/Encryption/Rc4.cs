using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GodotTorrent.Net.Encryption;

/// <summary>
/// The RC4 stream cipher, one direction of an MSE connection. It transforms whole buffers in
/// place with no allocation per call: RC4 is byte-serial, so the loop keeps its state in locals
/// and indexes the permutation without bounds checks (every index is a byte).
/// </summary>
internal sealed class Rc4
{
    /// <summary>MSE discards the first 1,024 bytes of keystream (the weak start of RC4).</summary>
    public const int MseDiscard = 1024;

    private readonly byte[] _state = new byte[256];
    private byte _i;
    private byte _j;

    /// <summary>Keys the cipher, then throws away <paramref name="discard"/> bytes of keystream.</summary>
    public Rc4(ReadOnlySpan<byte> key, int discard)
    {
        if (key.IsEmpty || key.Length > 256)
        {
            throw new ArgumentException("An RC4 key is 1 to 256 bytes.", nameof(key));
        }

        for (int n = 0; n < 256; n++)
        {
            _state[n] = (byte)n;
        }

        byte j = 0;
        for (int n = 0; n < 256; n++)
        {
            j = (byte)(j + _state[n] + key[n % key.Length]);
            (_state[n], _state[j]) = (_state[j], _state[n]);
        }

        Span<byte> skip = stackalloc byte[256];
        for (int left = discard; left > 0; left -= skip.Length)
        {
            var chunk = skip[..Math.Min(left, skip.Length)];
            chunk.Clear();
            Process(chunk);
        }
    }

    /// <summary>The cipher MSE uses: keyed with <paramref name="key"/>, the first 1,024 bytes of keystream dropped.</summary>
    public static Rc4 ForMse(ReadOnlySpan<byte> key) => new(key, MseDiscard);

    /// <summary>Encrypts or decrypts <paramref name="data"/> in place (the same operation).</summary>
    public void Process(Span<byte> data) => Process(data, data);

    /// <summary>Writes <paramref name="source"/> transformed into <paramref name="destination"/> (at least as long; may be the same memory).</summary>
    public void Process(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }

        ref byte s = ref MemoryMarshal.GetArrayDataReference(_state);
        ref byte src = ref MemoryMarshal.GetReference(source);
        ref byte dst = ref MemoryMarshal.GetReference(destination);
        byte i = _i;
        byte j = _j;
        for (int n = 0; n < source.Length; n++)
        {
            i++;
            byte si = Unsafe.Add(ref s, i);
            j += si;
            byte sj = Unsafe.Add(ref s, j);
            Unsafe.Add(ref s, i) = sj;
            Unsafe.Add(ref s, j) = si;
            Unsafe.Add(ref dst, n) = (byte)(Unsafe.Add(ref src, n) ^ Unsafe.Add(ref s, (byte)(si + sj)));
        }

        _i = i;
        _j = j;
    }
}
