namespace GodotTorrent.Metainfo;

internal sealed partial class CreatorHasher
{
    /// <summary>
    /// Sixteen full, consecutive pieces hashed together where the CPU has the lanes
    /// (<see cref="PieceLanes"/>): SHA-1 into <see cref="PieceHashes"/>, each piece's leaves folded
    /// into its file's node. One per worker.
    /// </summary>
    private sealed class LaneGroup : IDisposable
    {
        public const int Count = PieceLanes.Count;

        private readonly CreatorHasher _owner;
        private readonly PieceLanes _lanes;
        private readonly PieceDigest[] _leaves;
        private readonly CreatorFile?[] _files = new CreatorFile?[Count];

        public LaneGroup(CreatorHasher owner)
        {
            _owner = owner;
            _lanes = new PieceLanes(owner._pieceLength, owner._v1, owner._v2);
            // Leaf hashes are taken as known leaves, so these digests hash no bytes themselves.
            _leaves = owner._v2 ? Enumerable.Range(0, Count).Select(_ => new PieceDigest(owner._pieceLength, v1: false, v2: true)).ToArray() : [];
        }

        /// <summary>Hashes pieces <paramref name="first"/> to <paramref name="first"/> + 15; returns how many bytes of file data they held.</summary>
        public long Hash(int first, FileReader reader)
        {
            int pieceLength = _owner._pieceLength;
            long data = 0;
            for (int offset = 0; offset < pieceLength; offset += _lanes.ChunkSize)
            {
                for (int lane = 0; lane < Count; lane++)
                {
                    long start = (long)(first + lane) * pieceLength;
                    data += _owner.ReadSpace(start + offset, _lanes.Chunk(lane).Span, reader, out var file, out _);
                    if (offset == 0)
                    {
                        // v2 files start on piece boundaries: the first chunk meets the piece's one file.
                        _files[lane] = _owner._v2 ? file : null;
                        if (_files[lane] is { } v2File)
                        {
                            int v2Length = (int)Math.Min(pieceLength, v2File.End - start);
                            _leaves[lane].Reset(v2Length);
                            _lanes.Start(lane, v2Length, _leaves[lane]);
                        }
                        else
                        {
                            _lanes.Start(lane, 0, null);
                        }
                    }
                }

                _lanes.Hash(offset);
            }

            var sha1 = _lanes.FinishSha1();
            if (_owner._v1)
            {
                sha1.CopyTo(_owner.PieceHashes.AsSpan(first * Sha1Length));
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
            _lanes.Dispose();
            foreach (var digest in _leaves)
            {
                digest.Dispose();
            }
        }
    }
}
