using System.Buffers.Binary;
using System.Numerics;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Wire;

/// <summary>
/// The 48 bytes shared by BEP 52's hash request, hashes and hash reject messages: a file's pieces
/// root, the tree layer the hashes come from (0 = 16 KiB blocks), the first node's index in that
/// layer, how many nodes, and how many layers of proof (uncle hashes) to add above them.
/// </summary>
internal readonly record struct HashRequest(ReadOnlyMemory<byte> PiecesRoot, int BaseLayer, int Index, int Length, int ProofLayers)
{
    /// <summary>Bytes of the fields after the message id.</summary>
    public const int EncodedLength = MerkleTree.HashSize + 16;

    /// <summary>
    /// The most nodes one request may ask for: libtorrent asks 512 piece hashes at a time and
    /// refuses more than 8192, so anything larger only costs the server.
    /// </summary>
    public const int MaxLength = 8192;

    // A tree over a long's worth of 16 KiB blocks has fewer layers than this.
    private const int MaxLayers = 64;

    /// <summary>
    /// Uncle hashes a hashes message carries after the <see cref="Length"/> nodes: one per proof
    /// layer above the subtree the nodes form (as libtorrent counts them).
    /// </summary>
    public int UncleCount => Math.Max(0, ProofLayers - BitOperations.Log2((uint)Length) + 1);

    /// <summary>
    /// Reads the fields from the start of <paramref name="payload"/> (the bytes after the id). Any
    /// field out of its range fails: a length that is not a power of two or above
    /// <see cref="MaxLength"/>, an index that is not a multiple of it, layers past a tree's height.
    /// Costs the same for any input.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out HashRequest request)
    {
        request = default;
        if (payload.Length < EncodedLength)
        {
            return false;
        }

        uint baseLayer = BinaryPrimitives.ReadUInt32BigEndian(payload[32..]);
        uint index = BinaryPrimitives.ReadUInt32BigEndian(payload[36..]);
        uint length = BinaryPrimitives.ReadUInt32BigEndian(payload[40..]);
        uint proof = BinaryPrimitives.ReadUInt32BigEndian(payload[44..]);
        if (baseLayer >= MaxLayers || proof >= MaxLayers || length == 0 || length > MaxLength || !BitOperations.IsPow2(length)
            || index > int.MaxValue - MaxLength || index % length != 0)
        {
            return false;
        }

        request = new HashRequest(payload[..32].ToArray(), (int)baseLayer, (int)index, (int)length, (int)proof);
        return true;
    }

    /// <summary>True when <paramref name="other"/> names the same nodes of the same file.</summary>
    public bool SameAs(in HashRequest other) =>
        BaseLayer == other.BaseLayer && Index == other.Index && Length == other.Length && ProofLayers == other.ProofLayers
        && PiecesRoot.Span.SequenceEqual(other.PiecesRoot.Span);

    /// <summary>Writes the 48 bytes.</summary>
    public void WriteTo(Span<byte> destination)
    {
        PiecesRoot.Span.CopyTo(destination);
        BinaryPrimitives.WriteInt32BigEndian(destination[32..], BaseLayer);
        BinaryPrimitives.WriteInt32BigEndian(destination[36..], Index);
        BinaryPrimitives.WriteInt32BigEndian(destination[40..], Length);
        BinaryPrimitives.WriteInt32BigEndian(destination[44..], ProofLayers);
    }

    /// <inheritdoc/>
    public override string ToString() => $"layer {BaseLayer} [{Index}, +{Length}) proof {ProofLayers}";
}
