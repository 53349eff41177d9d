using System.Buffers;

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
        public const int Count = HashLanes.Count;

        
        private readonly CreatorHasher _owner;
        private readonly int _chunk;
        private readonly byte[] _buffer;
        private readonly Sha1Lanes? _sha1;
        private readonly LeafLanes? _leafLanes;
        private readonly PieceDigest[] _leaves;
        private readonly CreatorFile?[] _files = new CreatorFile?[Count];
        private readonly int[] _v2Lengths = new int[Count];
        private readonly byte[] _digests = new byte[Count * Sha1Lanes.DigestSize];

        public LaneGroup(CreatorHasher owner)
        {
            _owner = owner;
            _chunk = Math.Min(owner._pieceLength, LeafLanes.MaxChunk);
            _buffer = ArrayPool<byte>.Shared.Rent(Count * _chunk);
            _sha1 = owner._v1 ? new Sha1Lanes() : null;
            _leafLanes = owner._v2 ? new LeafLanes() : null;
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
                        _v2Lengths[lane] = _files[lane] is null ? 0 : (int)Math.Min(pieceLength, file!.End - ((long)(first + lane) * pieceLength));
                        if (_files[lane] is not null)
                        {
                            _leaves[lane].Reset(_v2Lengths[lane]);
                        }
                    }
                }

                _sha1?.Append(_buffer, _chunk, _chunk / Sha1Lanes.BlockSize);
                _leafLanes?.Hash(_buffer, _chunk, offset, _v2Lengths, _leaves);
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
    }
}
