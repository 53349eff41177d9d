namespace GodotTorrent.Interop.Harness;

/// <summary>
/// The content of the web-seed tests: a multi-file torrent folder whose name and paths carry
/// spaces, non-ASCII characters and characters a URL reserves ('#', '%', '?'), with an empty file,
/// a few MiB in all, and the percent-encoded URL path BEP 19 gives each file.
/// </summary>
public static class WebSeedContent
{
    /// <summary>The torrent's name (the folder's): a space and a non-ASCII letter.</summary>
    public const string Name = "Patch 1.2 été";

    /// <summary>256 KiB: every file but the smallest spans pieces, most pieces span files.</summary>
    public const int PieceSize = 256 * 1024;

    public static IReadOnlyList<TestFile> Layout { get; } =
    [
        new("read me.txt", 1_000),
        new("données/niveau 1.pak", 1_500_000),
        new("données/日本語 データ.bin", 700_001),
        new("empty file.dat", 0),
        new("faq?.txt", 5_000),
        new("textures/hero #1 50%.png", 2_000_000),
        new("z/last.bin", 300_000),
    ];

    /// <summary>The sum of <see cref="Layout"/>'s sizes.</summary>
    public static long TotalSize => Layout.Sum(f => f.Size);

    /// <summary>
    /// Where our engine saves a file of <see cref="Layout"/>: names Windows forbids ('?' here) get
    /// '_' (Metainfo/PathSanitizer), while the web seed must still ask for the name in the torrent.
    /// libtorrent on Linux keeps the name as it is.
    /// </summary>
    public static string OurSavedPath(string relativePath) => relativePath.Replace('?', '_');

    /// <summary>Every file of <see cref="Layout"/> under expected/name has the same size and SHA-256 under actual/name (at <see cref="OurSavedPath"/> when <paramref name="ours"/>).</summary>
    public static void AssertSameFiles(string expectedSavePath, string actualSavePath, bool ours)
    {
        foreach (var file in Layout)
        {
            var expected = System.IO.Path.Combine(expectedSavePath, Name, file.Path);
            var actual = System.IO.Path.Combine(actualSavePath, Name, ours ? OurSavedPath(file.Path) : file.Path);
            Assert.True(File.Exists(actual), "missing " + actual);
            Assert.Equal(file.Size, new FileInfo(actual).Length);
            Assert.Equal(OurSessions.Sha256(expected), OurSessions.Sha256(actual));
        }
    }

    /// <summary>
    /// The URL path of a file under a web seed's base URL (BEP 19: the torrent's name, then each
    /// path element, percent-encoded as UTF-8).
    /// </summary>
    public static string UrlPath(string relativePath) =>
        string.Join('/', relativePath.Split('/').Prepend(Name).Select(Uri.EscapeDataString));
}
