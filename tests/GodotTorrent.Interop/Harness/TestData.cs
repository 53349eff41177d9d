using System.Security.Cryptography;
using System.Text;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// A temporary folder for one test, deleted on dispose. Content is deterministic: the bytes of
/// a file depend only on the seed and the file's relative path, so a test can rebuild the same
/// data anywhere.
/// </summary>
public sealed class TestData : IDisposable
{
    private TestData(string root)
    {
        Root = root;
    }

    /// <summary>The temporary folder; everything the test makes goes below it.</summary>
    public string Root { get; }

    /// <summary>A small multi-file layout: nested folders, an empty file, sizes off piece boundaries, names whose byte order differs from component order ("a-c" &lt; "a.txt" &lt; "a/b").</summary>
    public static IReadOnlyList<TestFile> NestedLayout { get; } =
    [
        new("README.txt", 1_000),
        new("a-c.bin", 20_000),
        new("a.txt", 3_333),
        new("a/b.bin", 70_001),
        new("a/deeper/c.bin", 16_384),
        new("empty.dat", 0),
        new("z/last.bin", 45_000),
    ];

    /// <summary>The same as <see cref="NestedLayout"/> without the empty file (transmission-create drops empty files).</summary>
    public static IReadOnlyList<TestFile> NestedLayoutWithoutEmptyFiles { get; } =
        NestedLayout.Where(f => f.Size > 0).ToArray();

    public static TestData Create()
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "godot-torrent-interop-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        return new TestData(root);
    }

    /// <summary>The deterministic content for (seed, relative path) of the given size.</summary>
    public static byte[] Content(int seed, string relativePath, long size)
    {
        var bytes = new byte[size];
        var key = SHA256.HashData(Encoding.UTF8.GetBytes(seed.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n" + relativePath));
        new Random(BitConverter.ToInt32(key, 0)).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Absolute path of <paramref name="relativePath"/> ('/' separated) under <see cref="Root"/>.</summary>
    public string PathOf(string relativePath) =>
        System.IO.Path.Combine(Root, relativePath.Replace('/', System.IO.Path.DirectorySeparatorChar));

    /// <summary>Makes folder <paramref name="name"/> under Root holding <paramref name="files"/>; returns its path.</summary>
    public string CreateFolder(string name, int seed, IEnumerable<TestFile> files)
    {
        var folder = PathOf(name);
        Directory.CreateDirectory(folder);
        foreach (var file in files)
        {
            WriteFile(name + "/" + file.Path, Content(seed, file.Path, file.Size));
        }

        return folder;
    }

    /// <summary>Makes folder <paramref name="name"/> with <see cref="NestedLayout"/>.</summary>
    public string CreateNestedFolder(string name, int seed) => CreateFolder(name, seed, NestedLayout);

    /// <summary>Makes one file (relative path under Root) with deterministic content; returns its path.</summary>
    public string CreateFile(string relativePath, long size, int seed) =>
        WriteFile(relativePath, Content(seed, relativePath, size));

    /// <summary>Flips every bit of <paramref name="count"/> bytes at <paramref name="offset"/> of a file under Root.</summary>
    public void Corrupt(string relativePath, long offset, int count = 1)
    {
        using var stream = new FileStream(PathOf(relativePath), FileMode.Open, FileAccess.ReadWrite);
        var buffer = new byte[count];
        stream.Position = offset;
        stream.ReadExactly(buffer);
        for (var i = 0; i < count; i++)
        {
            buffer[i] ^= 0xFF;
        }

        stream.Position = offset;
        stream.Write(buffer);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private string WriteFile(string relativePath, byte[] content)
    {
        var path = PathOf(relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        return path;
    }
}
