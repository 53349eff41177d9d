using System.Diagnostics;
using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

public sealed class FileStorageTests : StorageContractTests
{
    protected override IPieceStorage Create(TorrentInfo torrent) =>
        new FileStorage(torrent, SaveFolder, new FileStorageOptions { MaxOpenFiles = 2, HandleCheckInterval = TimeSpan.Zero });

    private string OnDisk(string relative) => Path.Combine(SaveFolder, relative);

    [Fact]
    public async Task Skipped_file_never_appears_and_straddling_bytes_go_to_the_part_file()
    {
        var torrent = Layout("v1");
        var content = StorageTorrents.PieceSpaceContent(torrent, 3);
        await using var storage = Create(torrent);
        var priorities = Enumerable.Repeat(Priority.Normal, torrent.Files.Count).ToArray();
        priorities[0] = Priority.Skip;
        await storage.SetFilePrioritiesAsync(priorities);

        await WriteAllAsync(storage, content, 3);

        Assert.False(File.Exists(OnDisk("t/a")));
        string part = OnDisk("." + torrent.InfoHashes.Primary.ToHex() + ".parts");
        Assert.True(File.Exists(part));

        priorities[0] = Priority.Normal;
        await storage.SetFilePrioritiesAsync(priorities);

        Assert.Equal(StorageTorrents.FileContent(torrent, content, 0), await File.ReadAllBytesAsync(OnDisk("t/a")));
        Assert.False(File.Exists(part), "the part file goes once nothing needs it");
    }

    [Fact]
    public async Task A_file_that_exists_keeps_its_bytes_when_skipped()
    {
        var torrent = Layout("v1");
        var content = StorageTorrents.PieceSpaceContent(torrent, 4);
        await using var storage = Create(torrent);
        await WriteAllAsync(storage, content, 4);
        var priorities = Enumerable.Repeat(Priority.Normal, torrent.Files.Count).ToArray();
        priorities[0] = Priority.Skip;

        await storage.SetFilePrioritiesAsync(priorities);

        Assert.Equal(Expected(storage, content, 0), await ReadPieceAsync(storage, 0));
    }

    [Fact]
    public async Task Part_file_survives_a_restart()
    {
        var torrent = Layout("v1");
        var content = StorageTorrents.PieceSpaceContent(torrent, 2);
        var priorities = Enumerable.Repeat(Priority.Normal, torrent.Files.Count).ToArray();
        priorities[0] = Priority.Skip;
        await using (var first = Create(torrent))
        {
            await first.SetFilePrioritiesAsync(priorities);
            await WriteAllAsync(first, content, 2);
            await first.FlushAsync();
        }

        await using var second = Create(torrent);
        await second.SetFilePrioritiesAsync(priorities);
        Assert.Equal(Expected(second, content, 0), await ReadPieceAsync(second, 0));
    }

    [Fact]
    public async Task Deleted_or_truncated_file_under_a_seeding_torrent_reports_missing()
    {
        var torrent = Layout("v1");
        var content = StorageTorrents.PieceSpaceContent(torrent, 10);
        await using var storage = Create(torrent);
        await WriteAllAsync(storage, content, 10);
        Assert.Equal(Expected(storage, content, 1), await ReadPieceAsync(storage, 1));

        File.Delete(OnDisk("t/c"));
        var deleted = await Assert.ThrowsAsync<StorageException>(async () => await ReadPieceAsync(storage, 1));
        Assert.Equal(ErrorCode.FileMissing, deleted.ErrorCode);
        Assert.Equal(2, deleted.FileIndex);
        Assert.Equal(OnDisk("t/c"), deleted.FilePath);

        await using (var stream = new FileStream(OnDisk("t/d"), FileMode.Open))
        {
            stream.SetLength(100);
        }

        var truncated = await Assert.ThrowsAsync<StorageException>(async () => await storage.ReadAsync(2, 8000, new byte[4000]));
        Assert.Equal(ErrorCode.FileMissing, truncated.ErrorCode);
        Assert.Equal(3, truncated.FileIndex);
    }

    [Fact]
    public async Task Files_are_created_on_first_write_and_sparse()
    {
        var torrent = StorageTorrents.V1(16384, ("big", 4 << 20), ("small", 100));
        await using var storage = Create(torrent);
        Assert.False(Directory.Exists(SaveFolder));

        await storage.WriteAsync(255, 16384 - 100, new byte[100]);

        Assert.Equal(4 << 20, new FileInfo(OnDisk("t/big")).Length);
        Assert.False(File.Exists(OnDisk("t/small")));
        if (OperatingSystem.IsLinux())
        {
            Assert.True(AllocatedBytes(OnDisk("t/big")) < 1 << 20, "the file should be sparse");
        }
    }

    [Fact]
    public async Task Move_copies_with_progress_then_removes_the_sources()
    {
        var torrent = Layout("hybrid");
        var content = StorageTorrents.PieceSpaceContent(torrent, 11);
        await using var storage = Create(torrent);
        await WriteAllAsync(storage, content, 11);
        var before = File.GetLastWriteTimeUtc(OnDisk("t/c"));
        string target = Path.Combine(SaveFolder, "moved", "here");
        var reports = new List<long>();

        await storage.MoveAsync(target, new SyncProgress(reports));

        Assert.Equal(45000, reports[^1]);
        Assert.False(File.Exists(OnDisk("t/c")));
        Assert.False(Directory.Exists(OnDisk("t")));
        Assert.Equal(StorageTorrents.FileContent(torrent, content, FileIndex(torrent, "c")), await File.ReadAllBytesAsync(Path.Combine(target, "t", "c")));
        Assert.Equal(before, File.GetLastWriteTimeUtc(Path.Combine(target, "t", "c")));
        Assert.Equal(target, storage.SavePath);
        Assert.Equal(Expected(storage, content, 2), await ReadPieceAsync(storage, 2));
    }

    [Fact]
    public async Task Move_into_the_way_of_an_existing_file_changes_nothing()
    {
        var torrent = Layout("v1");
        var content = StorageTorrents.PieceSpaceContent(torrent, 12);
        await using var storage = Create(torrent);
        await WriteAllAsync(storage, content, 12);
        string target = Path.Combine(SaveFolder, "other");
        Directory.CreateDirectory(Path.Combine(target, "t"));
        await File.WriteAllTextAsync(Path.Combine(target, "t", "d"), "mine");

        var error = await Assert.ThrowsAsync<StorageException>(async () => await storage.MoveAsync(target));

        Assert.Equal(ErrorCode.FileExists, error.ErrorCode);
        Assert.False(File.Exists(Path.Combine(target, "t", "a")));
        Assert.Equal("mine", await File.ReadAllTextAsync(Path.Combine(target, "t", "d")));
        Assert.Equal(Expected(storage, content, 0), await ReadPieceAsync(storage, 0));
    }

    [Fact]
    public async Task Move_that_fills_the_target_disk_leaves_the_source_intact()
    {
        using var small = TmpfsMount.TryCreate("48k");
        if (small is null)
        {
            return; // needs root and tmpfs; the all-or-nothing path is also covered by the test above.
        }

        var torrent = Layout("v1");
        var content = StorageTorrents.PieceSpaceContent(torrent, 13);
        await using var storage = Create(torrent);
        await WriteAllAsync(storage, content, 13);

        var error = await Assert.ThrowsAsync<StorageException>(async () => await storage.MoveAsync(small.Path));

        Assert.Equal(ErrorCode.DiskFull, error.ErrorCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(small.Path));
        Assert.Equal(SaveFolder, storage.SavePath);
        for (int piece = 0; piece < torrent.PieceCount; piece++)
        {
            Assert.Equal(Expected(storage, content, piece), await ReadPieceAsync(storage, piece));
        }
    }

    [Fact]
    public async Task Full_disk_is_reported_as_disk_full()
    {
        using var small = TmpfsMount.TryCreate("16k");
        if (small is null)
        {
            return; // needs root and tmpfs
        }

        var torrent = StorageTorrents.V1(16384, ("a", 65536));
        await using var storage = new FileStorage(torrent, small.Path);

        var error = await Assert.ThrowsAsync<StorageException>(async () =>
        {
            for (int piece = 0; piece < 4; piece++)
            {
                await storage.WriteAsync(piece, 0, new byte[16384]);
            }
        });

        Assert.Equal(ErrorCode.DiskFull, error.ErrorCode);
        Assert.Equal(0, error.FileIndex);
    }

    [Fact]
    public async Task Read_only_folder_is_reported_as_access_denied()
    {
        using var mount = TmpfsMount.TryCreate("1m");
        if (mount is null || !mount.MakeReadOnly())
        {
            return; // needs root and tmpfs: as root, permission bits alone never deny
        }

        var torrent = StorageTorrents.V1(16384, ("a", 1000));
        await using var storage = new FileStorage(torrent, mount.Path);

        var error = await Assert.ThrowsAsync<StorageException>(async () => await storage.WriteAsync(0, 0, new byte[1000]));

        Assert.Equal(ErrorCode.AccessDenied, error.ErrorCode);
    }

    [Fact]
    public async Task Delete_leaves_foreign_files_and_folders_alone()
    {
        var torrent = Layout("v1");
        await using var storage = Create(torrent);
        await WriteAllAsync(storage, StorageTorrents.PieceSpaceContent(torrent, 14), 14);
        await File.WriteAllTextAsync(OnDisk("t/notes.txt"), "user file");
        await File.WriteAllTextAsync(OnDisk("other.txt"), "user file");

        await storage.DeleteFilesAsync();

        Assert.False(File.Exists(OnDisk("t/a")));
        Assert.True(File.Exists(OnDisk("t/notes.txt")));
        Assert.True(File.Exists(OnDisk("other.txt")));
    }

    [Fact]
    public async Task Delete_removes_the_part_file_and_emptied_folders()
    {
        var torrent = StorageTorrents.V1(16384, ("x/a", 10000), ("x/y/b", 10000));
        await using var storage = Create(torrent);
        var priorities = new[] { Priority.Normal, Priority.Skip };
        await storage.SetFilePrioritiesAsync(priorities);
        await WriteAllAsync(storage, StorageTorrents.PieceSpaceContent(torrent, 15), 15);

        await storage.DeleteFilesAsync();

        Assert.Empty(Directory.EnumerateFileSystemEntries(SaveFolder));
    }

    [Fact]
    public async Task Hostile_paths_and_planted_symlinks_cannot_leave_the_save_folder()
    {
        var parsed = Layout("v1");
        var hostile = Hostile(parsed, "t/../../escaped.bin");
        await using (var storage = Create(hostile))
        {
            var error = await Assert.ThrowsAsync<StorageException>(async () => await storage.WriteAsync(0, 0, new byte[10]));
            Assert.Equal(ErrorCode.InvalidPath, error.ErrorCode);
        }

        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(SaveFolder)!, "escaped.bin")));

        string outside = Path.Combine(Path.GetTempPath(), "gt-outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        try
        {
            if (Directory.Exists(SaveFolder))
            {
                Directory.Delete(SaveFolder, recursive: true);
            }

            Directory.CreateDirectory(SaveFolder);
            Directory.CreateSymbolicLink(OnDisk("t"), outside);
            await using var storage = Create(parsed);
            var error = await Assert.ThrowsAsync<StorageException>(async () => await storage.WriteAsync(0, 0, new byte[10]));
            Assert.Equal(ErrorCode.InvalidPath, error.ErrorCode);
            Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public async Task Open_handles_stay_bounded()
    {
        var files = Enumerable.Range(0, 10).Select(i => ($"f{i}", 16384)).ToArray();
        var torrent = StorageTorrents.V1(16384, files);
        var content = StorageTorrents.PieceSpaceContent(torrent, 16);
        await using var storage = new FileStorage(torrent, SaveFolder, new FileStorageOptions { MaxOpenFiles = 3 });

        await Parallel.ForAsync(0, 10, async (piece, ct) => await storage.WriteAsync(piece, 0, content.AsMemory(piece * 16384, 16384), ct));
        await Parallel.ForAsync(0, 40, async (i, _) => Assert.Equal(Expected(storage, content, i % 10), await ReadPieceAsync(storage, i % 10)));

        Assert.True(Directory.EnumerateFiles($"/proc/{Environment.ProcessId}/fd").Count() < 1000 || !OperatingSystem.IsLinux());
    }

    private static TorrentInfo Hostile(TorrentInfo parsed, string path)
    {
        var files = parsed.Files.Select(f => f.Index == 0 ? f with { Path = path } : f).ToList();
        return new TorrentInfo(new MetainfoParts
        {
            InfoBytes = parsed.InfoBytes.ToArray(),
            InfoHashes = parsed.InfoHashes,
            Name = parsed.Name,
            OriginalName = parsed.OriginalName,
            Files = files,
            IsMultiFile = true,
            PieceLength = parsed.PieceLength,
            PieceCount = parsed.PieceCount,
            PieceSpaceSize = parsed.PieceSpaceSize,
            Version = parsed.Version,
            PieceHashes = new byte[20 * parsed.PieceCount],
            PieceLayers = new Dictionary<int, byte[]>(),
            HasPieceLayers = false,
        });
    }

    private static long AllocatedBytes(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("stat", ["-c", "%b %B", path]) { RedirectStandardOutput = true })!;
        var parts = process.StandardOutput.ReadToEnd().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        return long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture) * long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class SyncProgress(List<long> reports) : IProgress<long>
    {
        public void Report(long value) => reports.Add(value);
    }
}
