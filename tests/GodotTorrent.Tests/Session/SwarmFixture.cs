using System.Net;
using System.Security.Cryptography;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>Temporary folders, random content and loopback sessions for in-process swarm tests.</summary>
internal sealed class SwarmFixture : IAsyncDisposable
{
    private readonly List<TorrentSession> _sessions = [];

    public SwarmFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "gt-swarm-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public static SessionSettings LoopbackSettings => new()
    {
        ListenAddresses = [IPAddress.Loopback],
        ListenPort = 0,
    };

    public string Folder(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Writes random files under seedFolder/name and creates a torrent of them.</summary>
    public async Task<TorrentInfo> CreateContentAsync(string seedFolder, string name, IReadOnlyList<(string Path, int Length)> files, int pieceLength = 32768, TorrentVersion version = TorrentVersion.V1, int seed = 1)
    {
        var random = new Random(seed);
        var top = Path.Combine(seedFolder, name);
        foreach (var (path, length) in files)
        {
            var full = Path.Combine(top, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            var data = new byte[length];
            random.NextBytes(data);
            await File.WriteAllBytesAsync(full, data);
        }

        return await TorrentCreator.CreateAsync(top, new TorrentCreatorOptions { PieceLength = pieceLength, Version = version });
    }

    public async Task<TorrentSession> StartSessionAsync(SessionSettings? settings = null, TorrentSessionOptions? options = null)
    {
        var session = new TorrentSession(settings ?? LoopbackSettings, options);
        _sessions.Add(session);
        await session.StartAsync();
        return session;
    }

    public static IPEndPoint EndPointOf(TorrentSession session) => new(IPAddress.Loopback, session.ListenPort);

    /// <summary>Pops alerts until one of type <typeparamref name="T"/> satisfies <paramref name="match"/>; every popped alert is added to <paramref name="seen"/>.</summary>
    public static async Task<T> WaitForAlertAsync<T>(TorrentSession session, List<GodotTorrent.Alerts.Alert> seen, Func<T, bool> match, CancellationToken cancellationToken)
        where T : GodotTorrent.Alerts.Alert
    {
        int checkedCount = 0;
        while (true)
        {
            seen.AddRange(session.PopAlerts());
            for (; checkedCount < seen.Count; checkedCount++)
            {
                if (seen[checkedCount] is T alert && match(alert))
                {
                    return alert;
                }
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexString(SHA256.HashData(stream));
    }

    public static void AssertSameFiles(string expectedRoot, string actualRoot, TorrentInfo torrent)
    {
        foreach (var file in torrent.Files.Where(f => !f.IsPad))
        {
            var expected = Path.Combine(expectedRoot, file.Path);
            var actual = Path.Combine(actualRoot, file.Path);
            Assert.True(File.Exists(actual), $"{file.Path} was not downloaded");
            Assert.Equal(Sha256(expected), Sha256(actual));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
