using System.Collections;

namespace GodotTorrent.Metainfo;

/// <summary>
/// The files of one parse, in blocks under the large object heap's threshold: a list of a
/// torrent's hundreds of thousands of files, grown by doubling, put a chain of ever larger arrays
/// on that heap, and each one counted towards the next full collection.
/// </summary>
internal sealed class RawFileList : IReadOnlyList<RawFile>
{
    // 1,024 records of 56 bytes: 56 KiB a block, below the 85,000-byte threshold.
    private const int BlockShift = 10;
    private const int BlockSize = 1 << BlockShift;

    private readonly List<RawFile[]> _blocks = [];

    public int Count { get; private set; }

    public RawFile this[int index]
    {
        get => (uint)index < (uint)Count ? _blocks[index >> BlockShift][index & (BlockSize - 1)] : throw new ArgumentOutOfRangeException(nameof(index));
        set
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            _blocks[index >> BlockShift][index & (BlockSize - 1)] = value;
        }
    }

    public void Add(RawFile file)
    {
        if ((Count & (BlockSize - 1)) == 0 && Count >> BlockShift == _blocks.Count)
        {
            // The first block starts small: most torrents have a few files.
            _blocks.Add(new RawFile[Count == 0 ? 4 : BlockSize]);
        }
        else if (_blocks.Count == 1 && Count == _blocks[0].Length)
        {
            var first = _blocks[0];
            Array.Resize(ref first, Math.Min(BlockSize, first.Length * 2));
            _blocks[0] = first;
        }

        _blocks[Count >> BlockShift][Count & (BlockSize - 1)] = file;
        Count++;
    }

    public IEnumerator<RawFile> GetEnumerator()
    {
        for (int i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
