using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GodotTorrent.Metainfo;

/// <summary>
/// SHA-256 of sixteen messages of equal length at once, one per 32-bit lane of AVX-512 vectors:
/// the sixteen 16 KiB leaves of a 256 KiB piece (BEP 52) are sixteen such messages. Like
/// <see cref="Sha1Lanes"/>, it keeps the vector units full where SHA instructions would wait on
/// each round's result. Only where <see cref="HashLanes.IsSupported"/>; callers fall back to
/// <see cref="System.Security.Cryptography.SHA256"/> elsewhere.
/// </summary>
internal sealed class Sha256Lanes : HashLanes
{
    /// <summary>The size of one digest.</summary>
    public const int DigestSize = 32;

    // FIPS 180-4 section 4.2.2.
    private static readonly uint[] RoundConstants =
    [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];

    // FIPS 180-4 section 5.3.3.
    public Sha256Lanes()
        : base([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19])
    {
    }

    // FIPS 180-4 section 6.2.2 on every lane; each sigma is three rotations and one ternary XOR.
    // Fully optimised from the first call: a check or creation runs it millions of times within a second,
    // and tier-0 code of these rounds is several times slower.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Compress()
    {
        ref Vector512<uint> w = ref MemoryMarshal.GetArrayDataReference(Words);
        var state = State;
        ref uint k = ref MemoryMarshal.GetArrayDataReference(RoundConstants);
        var a = state[0];
        var b = state[1];
        var c = state[2];
        var d = state[3];
        var e = state[4];
        var f = state[5];
        var g = state[6];
        var h = state[7];
        for (int t = 0; t < 16; t++)
        {
            Round(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, Vector512.Create(Unsafe.Add(ref k, t)) + Unsafe.Add(ref w, t));
        }

        for (int t = 16; t < 64; t++)
        {
            Round(ref a, ref b, ref c, ref d, ref e, ref f, ref g, ref h, Vector512.Create(Unsafe.Add(ref k, t)) + Schedule(ref w, t));
        }

        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
    }

    // W[t] = sigma1(W[t-2]) + W[t-7] + sigma0(W[t-15]) + W[t-16], in a ring of sixteen words.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<uint> Schedule(ref Vector512<uint> w, int t)
    {
        ref Vector512<uint> slot = ref Unsafe.Add(ref w, t & 15);
        var w15 = Unsafe.Add(ref w, (t - 15) & 15);
        var w2 = Unsafe.Add(ref w, (t - 2) & 15);
        var sigma0 = Avx512F.TernaryLogic(Avx512F.RotateRight(w15, 7), Avx512F.RotateRight(w15, 18), Avx512F.ShiftRightLogical(w15, 3), 0x96);
        var sigma1 = Avx512F.TernaryLogic(Avx512F.RotateRight(w2, 17), Avx512F.RotateRight(w2, 19), Avx512F.ShiftRightLogical(w2, 10), 0x96);
        var word = sigma1 + Unsafe.Add(ref w, (t - 7) & 15) + sigma0 + slot;
        slot = word;
        return word;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Round(
        ref Vector512<uint> a, ref Vector512<uint> b, ref Vector512<uint> c, ref Vector512<uint> d,
        ref Vector512<uint> e, ref Vector512<uint> f, ref Vector512<uint> g, ref Vector512<uint> h, Vector512<uint> kw)
    {
        var sum1 = Avx512F.TernaryLogic(Avx512F.RotateRight(e, 6), Avx512F.RotateRight(e, 11), Avx512F.RotateRight(e, 25), 0x96);
        var t1 = h + sum1 + Avx512F.TernaryLogic(e, f, g, 0xCA) + kw;
        var sum0 = Avx512F.TernaryLogic(Avx512F.RotateRight(a, 2), Avx512F.RotateRight(a, 13), Avx512F.RotateRight(a, 22), 0x96);
        var t2 = sum0 + Avx512F.TernaryLogic(a, b, c, 0xE8);
        h = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
}
