using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace GodotTorrent.Storage;

/// <summary>
/// A cheap keyed 64-bit fingerprint of a block's bytes, smart-ban evidence (taken from storage when a
/// piece fails, or passes after failing, see <see cref="PieceWriter.WantBlockDigests"/>): it only has to
/// tell two versions of one block apart, not resist a preimage search, and the per-process key
/// stops a peer from crafting a collision offline.
/// </summary>
internal static class BlockDigest
{
    private const ulong Prime1 = 0x9E3779B185EBCA87UL;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4FUL;

#pragma warning disable CA5394 // Not a security boundary on its own: an unpredictable seed is all that is needed.
    private static readonly ulong Key = (ulong)Random.Shared.NextInt64() | 1;
#pragma warning restore CA5394

    public static ulong Of(ReadOnlySpan<byte> data)
    {
        // Four independent lanes keep the multiplier busy: about a microsecond for 16 KiB.
        ulong a = Key, b = Key ^ Prime1, c = Key ^ Prime2, d = Key + (ulong)data.Length;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        int i = 0;
        for (; i + 4 <= words.Length; i += 4)
        {
            a = Round(a, words[i]);
            b = Round(b, words[i + 1]);
            c = Round(c, words[i + 2]);
            d = Round(d, words[i + 3]);
        }

        for (; i < words.Length; i++)
        {
            a = Round(a, words[i]);
        }

        foreach (byte tail in data[(words.Length * sizeof(ulong))..])
        {
            b = Round(b, tail);
        }

        ulong h = BitOperations.RotateLeft(a, 1) + BitOperations.RotateLeft(b, 7) + BitOperations.RotateLeft(c, 12) + BitOperations.RotateLeft(d, 18);
        h ^= h >> 33;
        h *= Prime2;
        h ^= h >> 29;
        return h;
    }

    /// <summary>
    /// The digest of each 16 KiB block of <paramref name="piece"/> (<paramref name="size"/> bytes) as
    /// <paramref name="storage"/> holds it now, or null when it cannot be read.
    /// </summary>
    public static async Task<ulong[]?> OfStoredPieceAsync(IPieceStorage storage, int piece, int size)
    {
        const int block = Disk.DiskService.BlockSize;
        var digests = new ulong[(size + block - 1) / block];
        var buffer = ArrayPool<byte>.Shared.Rent(block);
        try
        {
            for (int i = 0; i < digests.Length; i++)
            {
                int length = Math.Min(block, size - (i * block));
                await storage.ReadAsync(piece, i * block, buffer.AsMemory(0, length)).ConfigureAwait(false);
                digests[i] = Of(buffer.AsSpan(0, length));
            }

            return digests;
        }
        catch (StorageException)
        {
            return null;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Round(ulong acc, ulong word) => BitOperations.RotateLeft(acc + (word * Prime2), 31) * Prime1;
}
