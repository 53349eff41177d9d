using GodotTorrent.Metainfo;
using GodotTorrent.Reuse;
using GodotTorrent.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace GodotTorrent.Tests.Reuse;

/// <summary>
/// Patch reuse's matching rules and copies, on real files: finding files on disk, copying them
/// into a save folder and refusing links and names that lead outside it are the point.
/// </summary>
public sealed class PatchReuseTests : IDisposable
{
    private const int Piece = 16 * 1024;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "gt-reuse-" + Guid.NewGuid().ToString("N"));

    public PatchReuseTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(TorrentVersion.Hybrid, "pieces root")]
    [InlineData(TorrentVersion.V2, "pieces root")]
    public async Task V2_files_with_equal_pieces_roots_are_reused_and_a_changed_file_of_the_same_length_is_not(TorrentVersion version, string rule)
    {
        var (old, next) = await TwoVersionsAsync(version, [100_000, 70_000, 50_000]);
        var reused = await ReuseAsync(next, [(old.SaveFolder, old.Torrent)]);

        AssertReused(next, reused, "a.bin", "d.bin");
        AssertNotReused(next, reused, "b.bin");
        Assert.Equal(rule, await RuleAsync(next, "a.bin", old, "a.bin"));
        Assert.False(await MatchAsync(next, "b.bin", old, "b.bin"));
    }

    [Fact]
    public async Task V1_files_aligned_to_pieces_are_reused_by_equal_piece_hashes()
    {
        // Every file a whole number of pieces: each starts on a piece boundary in both versions.
        var (old, next) = await TwoVersionsAsync(TorrentVersion.V1, [Piece * 3, Piece * 2, Piece * 4]);
        var reused = await ReuseAsync(next, [(old.SaveFolder, old.Torrent)]);

        AssertReused(next, reused, "a.bin", "d.bin");
        AssertNotReused(next, reused, "b.bin");
        Assert.Equal("piece hashes", await RuleAsync(next, "a.bin", old, "a.bin"));
        Assert.False(await MatchAsync(next, "b.bin", old, "b.bin"));
    }

    [Fact]
    public async Task V1_files_off_piece_boundaries_are_reused_by_hashing_the_pieces_they_fill_alone()
    {
        var (old, next) = await TwoVersionsAsync(TorrentVersion.V1, [100_003, 70_001, 50_017]);
        var reused = await ReuseAsync(next, [(old.SaveFolder, old.Torrent)]);

        AssertReused(next, reused, "a.bin", "d.bin");
        AssertNotReused(next, reused, "b.bin");
        Assert.Equal("hashing", await RuleAsync(next, "d.bin", old, "c.bin"));
    }

    [Fact]
    public async Task Without_the_earlier_torrent_files_are_found_by_content_anywhere_in_its_folder()
    {
        var a = ReuseVersion.Bytes(100_003, 1);
        var b = ReuseVersion.Bytes(70_001, 2);
        var c = ReuseVersion.Bytes(50_017, 3);
        var old = await ReuseVersion.WriteAsync(Folder("old"), "game", Files(("a.bin", a), ("b.bin", b), ("c.bin", c)), TorrentVersion.V1, Piece);
        // Moved into another folder and renamed; b changed in place.
        var next = await ReuseVersion.WriteAsync(Folder("new-source"), "game", Files(("a.bin", a), ("b.bin", ReuseVersion.Changed(b)), ("levels/moved.bin", c)), TorrentVersion.V1, Piece);

        var reused = await ReuseAsync(next, [(old.SaveFolder, null)]);

        AssertReused(next, reused, "a.bin", "levels/moved.bin");
        AssertNotReused(next, reused, "b.bin");
    }

    [Fact]
    public async Task A_file_too_small_to_fill_a_piece_alone_in_a_v1_torrent_is_not_reused_unproven()
    {
        // 5,000 bytes between two others in 16 KiB pieces: no piece holds only its bytes.
        var (old, next) = await TwoVersionsAsync(TorrentVersion.V1, [20_000, 5_000, 40_000]);
        var reused = await ReuseAsync(next, [(old.SaveFolder, null)]);

        AssertNotReused(next, reused, "b.bin");
        AssertReused(next, reused, "a.bin");
    }

    [Fact]
    public async Task A_file_already_in_the_new_folder_is_never_overwritten()
    {
        var (old, next) = await TwoVersionsAsync(TorrentVersion.Hybrid, [100_000, 70_000, 50_000]);
        var destination = Path.Combine(_root, "download", "game", "a.bin");
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        await File.WriteAllBytesAsync(destination, [1, 2, 3]);

        var reused = await ReuseAsync(next, [(old.SaveFolder, old.Torrent)]);

        Assert.False(reused[next.IndexOf("a.bin")]);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(destination));
        AssertReused(next, reused, "d.bin");
    }

    [Fact]
    public async Task Updating_in_place_counts_unchanged_files_as_reused_and_copies_the_renamed_one()
    {
        var (old, next) = await TwoVersionsAsync(TorrentVersion.Hybrid, [100_000, 70_000, 50_000]);
        var reused = await ReuseAsync(next, [(old.SaveFolder, old.Torrent)], download: old.SaveFolder);

        Assert.True(reused[next.IndexOf("a.bin")]);
        Assert.True(reused[next.IndexOf("d.bin")]);
        Assert.False(reused[next.IndexOf("b.bin")]);
        Assert.Equal(next.Files["d.bin"], await File.ReadAllBytesAsync(Path.Combine(old.SaveFolder, "game", "d.bin")));
        Assert.Equal(old.Files["b.bin"], await File.ReadAllBytesAsync(Path.Combine(old.SaveFolder, "game", "b.bin")));
    }

    [Fact]
    public async Task Skipped_files_are_not_created()
    {
        var (old, next) = await TwoVersionsAsync(TorrentVersion.Hybrid, [100_000, 70_000, 50_000]);
        var priorities = next.Torrent.Files.Select(f => f.Path.EndsWith("d.bin", StringComparison.Ordinal) ? Priority.Skip : Priority.Normal).ToArray();

        var reused = await ReuseAsync(next, [(old.SaveFolder, old.Torrent)], priorities: priorities);

        Assert.False(reused[next.IndexOf("d.bin")]);
        Assert.False(File.Exists(Path.Combine(_root, "download", "game", "d.bin")));
        AssertReused(next, reused, "a.bin");
    }

    [Fact]
    public async Task A_link_in_the_earlier_folder_that_leads_outside_is_never_read()
    {
        var secret = ReuseVersion.Bytes(100_003, 9);
        var outside = Folder("outside");
        await File.WriteAllBytesAsync(Path.Combine(outside, "secret.bin"), secret);
        var next = await ReuseVersion.WriteAsync(Folder("new-source"), "game", Files(("a.bin", secret)), TorrentVersion.V1, Piece);
        var old = Folder("old");
        Directory.CreateDirectory(Path.Combine(old, "game"));
        File.CreateSymbolicLink(Path.Combine(old, "game", "a.bin"), Path.Combine(outside, "secret.bin"));
        Directory.CreateSymbolicLink(Path.Combine(old, "linked"), outside);
        var oldTorrent = await TorrentCreator.CreateAsync(Path.Combine(next.SaveFolder, "game"), new TorrentCreatorOptions { PieceLength = Piece });

        var scanned = await ReuseAsync(next, [(old, null)]);
        var described = await ReuseAsync(next, [(old, oldTorrent)]);

        Assert.False(scanned[0]);
        Assert.False(described[0]);
        Assert.False(File.Exists(Path.Combine(_root, "download", "game", "a.bin")));
    }

    [Fact]
    public async Task Parent_folder_names_in_the_earlier_torrent_cannot_reach_outside_its_folder()
    {
        var data = ReuseVersion.Bytes(100_003, 4);
        var next = await ReuseVersion.WriteAsync(Folder("new-source"), "game", Files(("a.bin", data)), TorrentVersion.V1, Piece);
        // The earlier torrent names ../../a.bin; that file exists outside its folder with the very content wanted.
        var old = Folder("deep/old");
        await File.WriteAllBytesAsync(Path.Combine(_root, "a.bin"), data);
        var info = Metainfo.TorrentFiles.MultiFileInfo("game", [(["..", "..", "a.bin"], data.Length)], Piece);
        var oldTorrent = TorrentInfo.Parse(Metainfo.TorrentFiles.Torrent(info));

        var reused = await ReuseAsync(next, [(old, oldTorrent)]);

        Assert.False(reused[0]);
        Assert.False(File.Exists(Path.Combine(_root, "download", "game", "a.bin")));
    }

    [Fact]
    public async Task A_link_in_the_new_folder_that_leads_outside_is_never_written_through()
    {
        var (old, next) = await TwoVersionsAsync(TorrentVersion.Hybrid, [100_000, 70_000, 50_000]);
        var outside = Folder("outside");
        var download = Folder("download");
        Directory.CreateSymbolicLink(Path.Combine(download, "game"), outside);

        var reused = await ReuseAsync(next, [(old.SaveFolder, old.Torrent)]);

        Assert.DoesNotContain(true, reused);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    private static Dictionary<string, byte[]> Files(params (string Path, byte[] Data)[] files) => files.ToDictionary(f => f.Path, f => f.Data);

    private static void AssertReusedIn(string download, ReuseVersion next, bool[] reused, params string[] paths)
    {
        foreach (var path in paths)
        {
            Assert.True(reused[next.IndexOf(path)], $"{path} reused");
            Assert.Equal(next.Files[path], File.ReadAllBytes(Path.Combine(download, "game", path)));
        }
    }

    private static void AssertNotReusedIn(string download, ReuseVersion next, bool[] reused, string path)
    {
        Assert.False(reused[next.IndexOf(path)], $"{path} not reused");
        Assert.False(File.Exists(Path.Combine(download, "game", path)));
    }

    private void AssertReused(ReuseVersion next, bool[] reused, params string[] paths) => AssertReusedIn(Path.Combine(_root, "download"), next, reused, paths);

    private void AssertNotReused(ReuseVersion next, bool[] reused, string path) => AssertNotReusedIn(Path.Combine(_root, "download"), next, reused, path);

    private static async Task<bool> MatchAsync(ReuseVersion next, string path, ReuseVersion old, string oldPath)
    {
        using var matcher = new ReuseMatcher(next.Torrent);
        var entry = old.Torrent.Files[old.IndexOf(oldPath)];
        var candidate = ReuseCandidate.OnDisk(entry.Path, entry.Length, Path.Combine(old.SaveFolder, entry.Path), old.Torrent, entry);
        return await matcher.MatchesAsync(next.Torrent.Files[next.IndexOf(path)], candidate, CancellationToken.None);
    }

    private static async Task<string> RuleAsync(ReuseVersion next, string path, ReuseVersion old, string oldPath)
    {
        using var matcher = new ReuseMatcher(next.Torrent);
        var entry = old.Torrent.Files[old.IndexOf(oldPath)];
        var candidate = ReuseCandidate.OnDisk(entry.Path, entry.Length, Path.Combine(old.SaveFolder, entry.Path), old.Torrent, entry);
        Assert.True(await matcher.MatchesAsync(next.Torrent.Files[next.IndexOf(path)], candidate, CancellationToken.None));
        return matcher.LastRule;
    }

    private string Folder(string name)
    {
        var path = Path.Combine(_root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    // Version 1.0: a, b, c. Version 1.1: a unchanged, b changed (same length), c renamed to d.
    private async Task<(ReuseVersion Old, ReuseVersion Next)> TwoVersionsAsync(TorrentVersion version, int[] lengths)
    {
        var a = ReuseVersion.Bytes(lengths[0], 1);
        var b = ReuseVersion.Bytes(lengths[1], 2);
        var c = ReuseVersion.Bytes(lengths[2], 3);
        var old = await ReuseVersion.WriteAsync(Folder("old"), "game", Files(("a.bin", a), ("b.bin", b), ("c.bin", c)), version, Piece);
        var next = await ReuseVersion.WriteAsync(Folder("new-source"), "game", Files(("a.bin", a), ("b.bin", ReuseVersion.Changed(b)), ("d.bin", c)), version, Piece);
        return (old, next);
    }

    private async Task<bool[]> ReuseAsync(ReuseVersion next, IReadOnlyList<(string, TorrentInfo?)> versions, string? download = null, Priority[]? priorities = null)
    {
        download ??= Path.Combine(_root, "download");
        Directory.CreateDirectory(download);
        await using var storage = new FileStorage(next.Torrent, download);
        var reuse = new PatchReuse(next.Torrent, storage, priorities ?? [.. next.Torrent.Files.Select(_ => Priority.Normal)], onDisk: true, NullLogger.Instance);
        return await reuse.RunAsync(versions, new FileStorageFactory(), CancellationToken.None);
    }
}
