using System.Security.Cryptography;
using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

/// <summary>
/// Builds small v1, v2 and hybrid torrents with known content, hashing with SHA-1/SHA-256
/// directly (the merkle folding uses MerkleTree, tested on its own), plus the piece-space bytes
/// every piece should hold.
/// </summary>
internal sealed class CheckTorrentBuilder
{
    private CheckTorrentBuilder(TorrentInfo torrent, byte[][] contents, byte[] space)
    {
        Torrent = torrent;
        Contents = contents;
        Space = space;
    }

    public TorrentInfo Torrent { get; }

    /// <summary>The content of each real file, in the order given to <see cref="Build"/>.</summary>
    public byte[][] Contents { get; }

    /// <summary>The piece space: files at their offsets, zeros for pads and gaps.</summary>
    public byte[] Space { get; }

    public PieceLayout Layout => new(Torrent);

    public static CheckTorrentBuilder Build(TorrentVersion version, int pieceLength, int seed, params int[] fileSizes)
    {
        var random = new Random(seed);
        var contents = fileSizes.Select(size =>
        {
            var bytes = new byte[size];
            random.NextBytes(bytes);
            return bytes;
        }).ToArray();
        bool v1 = (version & TorrentVersion.V1) != 0, v2 = (version & TorrentVersion.V2) != 0;
        bool aligned = v2;

        // Piece space as the torrent lays it out: v2 and hybrid files start on piece boundaries.
        var offsets = new long[contents.Length];
        long end = 0;
        for (int i = 0; i < contents.Length; i++)
        {
            offsets[i] = end;
            end += contents[i].Length;
            if (aligned && i < contents.Length - 1 && end % pieceLength != 0)
            {
                end += pieceLength - end % pieceLength;
            }
        }

        var space = new byte[end];
        for (int i = 0; i < contents.Length; i++)
        {
            contents[i].CopyTo(space, offsets[i]);
        }

        var info = new BDictionary();
        info.Set("name", new BString("t"));
        info.Set("piece length", new BInteger(pieceLength));
        var layers = new BDictionary();
        if (v2)
        {
            var tree = new BDictionary();
            for (int i = 0; i < contents.Length; i++)
            {
                var leaf = new BDictionary();
                leaf.Set("length", new BInteger(contents[i].Length));
                if (contents[i].Length > 0)
                {
                    var blockHashes = BlockHashes(contents[i]);
                    var root = MerkleTree.RootFromBlockHashes(blockHashes);
                    leaf.Set("pieces root", new BString(root));
                    if (contents[i].Length > pieceLength)
                    {
                        layers.Set(new BString(root), new BString(MerkleTree.PieceLayerFromBlockHashes(blockHashes, pieceLength)));
                    }
                }

                var node = new BDictionary();
                node.Set(string.Empty, leaf);
                tree.Set(FileName(i), node);
            }

            info.Set("file tree", tree);
            info.Set("meta version", new BInteger(2));
        }

        if (v1)
        {
            var files = new BList();
            for (int i = 0; i < contents.Length; i++)
            {
                files.Add(FileDict(contents[i].Length, [FileName(i)], pad: false));
                long fileEnd = offsets[i] + contents[i].Length;
                long next = i + 1 < contents.Length ? offsets[i + 1] : fileEnd;
                if (next > fileEnd)
                {
                    files.Add(FileDict(next - fileEnd, [".pad", (next - fileEnd).ToString(System.Globalization.CultureInfo.InvariantCulture)], pad: true));
                }
            }

            info.Set("files", files);
            var pieces = new List<byte>();
            for (long offset = 0; offset < space.Length; offset += pieceLength)
            {
                pieces.AddRange(SHA1.HashData(space.AsSpan((int)offset, (int)Math.Min(pieceLength, space.Length - offset))));
            }

            info.Set("pieces", new BString(pieces.ToArray()));
        }

        var torrent = new BDictionary();
        torrent.Set("info", info);
        if (layers.Count > 0)
        {
            torrent.Set("piece layers", layers);
        }

        return new CheckTorrentBuilder(TorrentInfo.Parse(BencodeWriter.Encode(torrent)), contents, space);
    }

    /// <summary>The bytes piece <paramref name="piece"/> should hold.</summary>
    public byte[] PieceData(int piece)
    {
        int size = Torrent.GetPieceSize(piece);
        return Space.AsSpan(piece * Torrent.PieceLength, size).ToArray();
    }

    /// <summary>A storage holding every piece except <paramref name="skip"/>.</summary>
    public async Task<MemoryStorage> FillAsync(params int[] skip)
    {
        var storage = new MemoryStorage(Torrent, "save");
        for (int piece = 0; piece < Torrent.PieceCount; piece++)
        {
            if (!skip.Contains(piece))
            {
                await storage.WriteAsync(piece, 0, PieceData(piece));
            }
        }

        return storage;
    }

    private static string FileName(int i) => "f" + i.ToString("00", System.Globalization.CultureInfo.InvariantCulture) + ".bin";

    private static BDictionary FileDict(long length, string[] path, bool pad)
    {
        var file = new BDictionary();
        file.Set("length", new BInteger(length));
        file.Set("path", new BList(path.Select(p => (BValue)new BString(p))));
        if (pad)
        {
            file.Set("attr", new BString("p"));
        }

        return file;
    }

    // BEP 52 leaves: SHA-256 of each 16 KiB block, the last one as short as the file leaves it.
    private static byte[] BlockHashes(byte[] content)
    {
        var hashes = new List<byte>();
        for (int offset = 0; offset < content.Length; offset += MerkleTree.BlockSize)
        {
            hashes.AddRange(SHA256.HashData(content.AsSpan(offset, Math.Min(MerkleTree.BlockSize, content.Length - offset))));
        }

        return [.. hashes];
    }
}
