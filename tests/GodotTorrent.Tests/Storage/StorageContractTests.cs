using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

/// <summary>The behaviour every <see cref="IPieceStorage"/> shares; run against each implementation.</summary>
public abstract class StorageContractTests : IDisposable
{
    protected StorageContractTests()
    {
        SaveFolder = Path.Combine(Path.GetTempPath(), "gt-storage-" + Guid.NewGuid().ToString("N"));
    }

    protected string SaveFolder { get; }

    public void Dispose()
    {
        if (Directory.Exists(SaveFolder))
        {
            Directory.Delete(SaveFolder, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    protected abstract IPieceStorage Create(TorrentInfo torrent);

    public static TheoryData<string> Layouts => ["v1", "hybrid", "v2"];

    internal static TorrentInfo Layout(string kind) => kind switch
    {
        "v1" => StorageTorrents.V1(16384, ("a", 10000), ("b", 0), ("c", 30000), ("d", 5000)),
        "hybrid" => StorageTorrents.Hybrid(16384, ("a", 10000), ("b", 0), ("c", 30000), ("d", 5000)),
        _ => StorageTorrents.V2(16384, ("a", 10000), ("b", 0), ("c", 30000), ("d", 5000)),
    };

    internal static int FileIndex(TorrentInfo torrent, string name) =>
        torrent.Files.Single(f => f.Path == "t/" + name).Index;

    internal static async Task WriteAllAsync(IPieceStorage storage, byte[] content, int seed, int block = 4096)
    {
        var layout = new PieceLayout(storage.Torrent);
        var blocks = new List<(int Piece, int Offset, int Length)>();
        for (int piece = 0; piece < layout.PieceCount; piece++)
        {
            int size = layout.GetPieceSize(piece);
            for (int offset = 0; offset < size; offset += block)
            {
                blocks.Add((piece, offset, Math.Min(block, size - offset)));
            }
        }

        foreach (var (piece, offset, length) in blocks.OrderBy(_ => Random.Shared.Next()).ToList())
        {
            _ = seed;
            await storage.WriteAsync(piece, offset, content.AsMemory((int)layout.GetPieceStart(piece) + offset, length));
        }
    }

    internal static async Task<byte[]> ReadPieceAsync(IPieceStorage storage, int piece)
    {
        var layout = new PieceLayout(storage.Torrent);
        var buffer = new byte[layout.GetPieceSize(piece)];
        buffer.AsSpan().Fill(0xEE);
        await storage.ReadAsync(piece, 0, buffer);
        return buffer;
    }

    internal static byte[] Expected(IPieceStorage storage, byte[] content, int piece)
    {
        var layout = new PieceLayout(storage.Torrent);
        return content.AsSpan((int)layout.GetPieceStart(piece), layout.GetPieceSize(piece)).ToArray();
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Blocks_written_out_of_order_read_back_equal(string kind)
    {
        var torrent = Layout(kind);
        var content = StorageTorrents.PieceSpaceContent(torrent, 5);
        await using var storage = Create(torrent);

        await WriteAllAsync(storage, content, 5, block: 3000);

        for (int piece = 0; piece < torrent.PieceCount; piece++)
        {
            Assert.Equal(Expected(storage, content, piece), await ReadPieceAsync(storage, piece));
        }

        var unaligned = new byte[new PieceLayout(torrent).GetPieceSize(0) - 9000];
        await storage.ReadAsync(0, 9000, unaligned);
        Assert.Equal(content.AsSpan(9000, unaligned.Length).ToArray(), unaligned);
        Assert.True(storage.GetFileState(FileIndex(torrent, "b")).Exists, "a wanted empty file exists once the torrent writes");
        Assert.Equal(30000, storage.GetFileState(FileIndex(torrent, "c")).Length);
    }

    [Fact]
    public async Task Concurrent_writes_and_reads_agree()
    {
        var torrent = Layout("v1");
        var content = StorageTorrents.PieceSpaceContent(torrent, 9);
        await using var storage = Create(torrent);
        var layout = new PieceLayout(torrent);

        await Parallel.ForAsync(0, torrent.PieceCount, async (piece, ct) =>
        {
            int size = layout.GetPieceSize(piece);
            await storage.WriteAsync(piece, 0, content.AsMemory(piece * 16384, size), ct);
        });
        await Parallel.ForAsync(0, torrent.PieceCount, async (piece, _) =>
            Assert.Equal(Expected(storage, content, piece), await ReadPieceAsync(storage, piece)));
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Skipped_file_is_not_created_and_its_straddling_bytes_return_when_enabled(string kind)
    {
        var torrent = Layout(kind);
        var content = StorageTorrents.PieceSpaceContent(torrent, 6);
        await using var storage = Create(torrent);
        var priorities = Enumerable.Repeat(Priority.Normal, torrent.Files.Count).ToArray();
        int skipped = FileIndex(torrent, "a");
        priorities[skipped] = Priority.Skip;
        await storage.SetFilePrioritiesAsync(priorities);

        await WriteAllAsync(storage, content, 6);

        Assert.False(storage.GetFileState(skipped).Exists);
        Assert.True(storage.GetFileState(FileIndex(torrent, "c")).Exists);
        // The skipped file's bytes still read back: they were kept aside.
        Assert.Equal(Expected(storage, content, 0), await ReadPieceAsync(storage, 0));

        priorities[skipped] = Priority.High;
        await storage.SetFilePrioritiesAsync(priorities);

        Assert.True(storage.GetFileState(skipped).Exists);
        for (int piece = 0; piece < torrent.PieceCount; piece++)
        {
            Assert.Equal(Expected(storage, content, piece), await ReadPieceAsync(storage, piece));
        }
    }

    [Fact]
    public async Task Reading_a_file_never_written_reports_it_missing()
    {
        await using var storage = Create(Layout("v1"));
        var error = await Assert.ThrowsAsync<StorageException>(async () => await storage.ReadAsync(1, 0, new byte[100]));
        Assert.Equal(ErrorCode.FileMissing, error.ErrorCode);
        Assert.Equal(2, error.FileIndex);
    }

    [Fact]
    public async Task Rename_keeps_the_bytes_and_cannot_leave_the_save_folder()
    {
        var torrent = Layout("v1");
        var content = StorageTorrents.PieceSpaceContent(torrent, 7);
        await using var storage = Create(torrent);
        await WriteAllAsync(storage, content, 7);

        await storage.RenameFileAsync(2, "t/sub/renamed.bin");

        Assert.Equal("t/sub/renamed.bin", storage.GetFilePath(2));
        Assert.Equal(Expected(storage, content, 1), await ReadPieceAsync(storage, 1));
        foreach (var bad in new[] { "../escape.bin", "/etc/passwd", "t/../../x", "" })
        {
            var error = await Assert.ThrowsAsync<StorageException>(async () => await storage.RenameFileAsync(2, bad));
            Assert.Equal(ErrorCode.InvalidPath, error.ErrorCode);
        }

        var taken = await Assert.ThrowsAsync<StorageException>(async () => await storage.RenameFileAsync(3, "t/sub/renamed.bin"));
        Assert.Equal(ErrorCode.FileExists, taken.ErrorCode);
    }

    [Fact]
    public async Task Delete_removes_the_files()
    {
        var torrent = Layout("hybrid");
        await using var storage = Create(torrent);
        await WriteAllAsync(storage, StorageTorrents.PieceSpaceContent(torrent, 8), 8);

        await storage.DeleteFilesAsync();

        Assert.All(Enumerable.Range(0, torrent.Files.Count), i => Assert.False(storage.GetFileState(i).Exists));
    }
}
