namespace GodotTorrent.Cli.Commands;

/// <summary>The demo's sample content: a few files of random bytes in a small tree, like a game's patch.</summary>
internal static class SampleFolder
{
    private const int ChunkSize = 1024 * 1024;

    // Share of the total size for each file; the last one takes what is left.
    private static readonly (string Path, double Share)[] Layout =
    [
        ("levels/level1.pak", 0.45),
        ("levels/level2.pak", 0.25),
        ("textures/atlas.bin", 0.2),
        ("audio/theme.ogg", 0.1),
    ];

    /// <summary>Writes <paramref name="totalSize"/> bytes of random data under <paramref name="folder"/>, plus a readme; returns the file count.</summary>
    public static async Task<int> WriteAsync(string folder, long totalSize, CancellationToken cancellationToken)
    {
        await WriteTextAsync(Path.Combine(folder, "readme.txt"), "Random sample data made by gdtorrent demo.\n", cancellationToken).ConfigureAwait(false);
        long left = totalSize;
        var buffer = new byte[ChunkSize];
        for (int i = 0; i < Layout.Length; i++)
        {
            long length = i == Layout.Length - 1 ? left : (long)(totalSize * Layout[i].Share);
            left -= length;
            string path = Path.Combine(folder, Layout[i].Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0, useAsync: true);
            await using (stream.ConfigureAwait(false))
            {
                for (long written = 0; written < length; written += ChunkSize)
                {
                    int count = (int)Math.Min(ChunkSize, length - written);
                    Random.Shared.NextBytes(buffer.AsSpan(0, count));
                    await stream.WriteAsync(buffer.AsMemory(0, count), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return Layout.Length + 1;
    }

    private static async Task WriteTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
    }
}
