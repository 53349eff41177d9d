using System.Buffers;
using System.Security.Cryptography;

namespace GodotTorrent.Metainfo;

internal sealed partial class CreatorHasher
{
    /// <summary>
    /// Sixteen full, consecutive pieces hashed together where the CPU has the lanes: SHA-1 of the
    /// sixteen in <see cref="Sha1Lanes"/>, and the leaf at the same place in each of the sixteen in
    /// <see cref="Sha256Lanes"/>. The pieces are read a chunk of at most 64 KiB each at a time, so
    /// a group's 1 MiB stays in the core's cache while both hashes read it. One per worker.
    /// </summary>
    private sealed class LaneGroup : IDisposable
    {
        public const int Count = Lanes16.Count;

        private const int MaxChunk = 4 * MerkleTree.BlockSize;

        private readonly CreatorHasher _owner;
        private readonly int _chunk;
        private readonly byte[] _buffer;
        private readonly Sha1Lanes? _sha1;
        private readonly Sha256Lanes? _sha256;
        private readonly PieceDigest[] _leaves;
        private readonly CreatorFile?[] _files = new CreatorFile?[Count];
        private readonly int[] _v2Lengths = new int[Count];
        private readonly byte[] _digests = new byte[Count * Sha256Lanes.DigestSize];

        public LaneGroup(CreatorHasher owner)
        {
            _owner = owner;
            _chunk = Math.Min(owner._pieceLength, MaxChunk);
            _buffer = ArrayPool<byte>.Shared.Rent(Count * _chunk);
            _sha1 = owner._v1 ? new Sha1Lanes() : null;
            _sha256 = owner._v2 ? new Sha256Lanes() : null;
            // Leaf hashes are taken as known leaves, so these digests hash no bytes themselves.
            _leaves = owner._v2 ? Enumerable.Range(0, Count).Select(_ => new PieceDigest(owner._pieceLength, v1: false, v2: true)).ToArray() : [];
        }

        /// <summary>Hashes pieces <paramref name="first"/> to <paramref name="first"/> + 15; returns how many bytes of file data they held.</summary>
        public long Hash(int first, FileReader reader)
        {
            int pieceLength = _owner._pieceLength;
            long data = 0;
            for (int offset = 0; offset < pieceLength; offset += _chunk)
            {
                for (int lane = 0; lane < Count; lane++)
                {
                    var chunk = _buffer.AsSpan(lane * _chunk, _chunk);
                    data += _owner.ReadSpace(((long)(first + lane) * pieceLength) + offset, chunk, reader, out var file, out _);
                    if (offset == 0)
                    {
                        // v2 files start on piece boundaries: the first chunk meets the piece's one file.
                        _files[lane] = _owner._v2 ? file : null;
                        _v2Lengths[lane] = file is null ? 0 : (int)Math.Min(pieceLength, file.End - ((long)(first + lane) * pieceLength));
                        if (_files[lane] is not null)
                        {
                            _leaves[lane].Reset(_v2Lengths[lane]);
                        }
                    }
                }

                _sha1?.Append(_buffer, _chunk, _chunk / Sha1Lanes.BlockSize);
                if (_sha256 is not null)
                {
                    HashLeaves(offset);
                }
            }

            if (_sha1 is not null)
            {
                _sha1.Finish(_buffer, _chunk, pieceLength, _digests);
                _digests.AsSpan(0, Count * Sha1Length).CopyTo(_owner.PieceHashes.AsSpan(first * Sha1Length));
            }

            for (int lane = 0; lane < Count; lane++)
            {
                if (_files[lane] is { } file)
                {
                    _owner.FinishNode(first + lane, file, _leaves[lane]);
                }
            }

            return data;
        }

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            foreach (var digest in _leaves)
            {
                digest.Dispose();
            }
        }

        // Leaf by leaf through the chunk, the same leaf of all sixteen pieces at once; a piece whose
        // file ends before that leaf is full hashes its short last leaf alone (BEP 52: no padding).
        private void HashLeaves(int offset)
        {
            Span<byte> hash = stackalloc byte[MerkleTree.HashSize];
            for (int at = 0; at < _chunk; at += MerkleTree.BlockSize)
            {
                int leaf = offset + at;
                bool anyFull = false;
                for (int lane = 0; lane < Count && !anyFull; lane++)
                {
                    anyFull = _files[lane] is not null && _v2Lengths[lane] - leaf >= MerkleTree.BlockSize;
                }

                if (anyFull)
                {
                    var leaves = _buffer.AsSpan(at);
                    _sha256!.Append(leaves, _chunk, MerkleTree.BlockSize / Sha256Lanes.BlockSize);
                    _sha256.Finish(leaves, _chunk, MerkleTree.BlockSize, _digests);
                }

                for (int lane = 0; lane < Count; lane++)
                {
                    int bytes = _files[lane] is null ? 0 : Math.Clamp(_v2Lengths[lane] - leaf, 0, MerkleTree.BlockSize);
                    if (bytes == MerkleTree.BlockSize)
                    {
                        _leaves[lane].AppendKnownLeaf(_digests.AsSpan(lane * Sha256Lanes.DigestSize, Sha256Lanes.DigestSize), bytes);
                    }
                    else if (bytes > 0)
                    {
                        SHA256.HashData(_buffer.AsSpan((lane * _chunk) + at, bytes), hash);
                        _leaves[lane].AppendKnownLeaf(hash, bytes);
                    }
                }
            }
        }
    }
}
