using System.Net;
using GodotTorrent.Cli;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Tests.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary>
/// <c>download --follow</c> in-process against two library sessions on 127.0.0.1 that form a
/// small real DHT (a publisher that seeds both versions, and a plain node that stores the
/// channel's item). Real sockets and files, because the CLI end to end is the point. Run alone:
/// the channel is one DHT get, and a reply starved of CPU by parallel tests times out.
/// </summary>
[Collection(AloneCollection.Name)]
public sealed class FollowCommandTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    // Addresses of their own (Linux loopback answers all of 127/8): a DHT node limits queries per
    // source address, and sessions other tests left on 127.0.0.1 would spend that budget.
    private static readonly IPAddress Publisher = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Node = IPAddress.Parse("127.0.0.3");
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_new_version_replaces_the_old_in_the_same_folder_downloading_only_what_changed()
    {
        var (_, v1) = await CliContent.CreateAsync(_temp, "v1");
        CopyFolder(_temp.Combine("v1", "pack"), _temp.Combine("v2", "pack"));
        byte[] changed = File.ReadAllBytes(_temp.Combine("v2", "pack", "a.bin"));
        changed.AsSpan(100_000, 100).Fill(0xEE);
        File.WriteAllBytes(_temp.Combine("v2", "pack", "a.bin"), changed);
        var v2 = await TorrentCreator.CreateFileAsync(_temp.Combine("v2", "pack"), _temp.Combine("v2.torrent"), new TorrentCreatorOptions { PieceLength = 16384 });

        await using var publisher = await StartAsync(Publisher, []);
        await using var node = await StartAsync(Node, [$"{Publisher}:{publisher.ListenPort}"]);
        await publisher.ApplySettingsAsync(publisher.Settings with { DhtBootstrapNodes = [$"{Node}:{node.ListenPort}"] });
        var seed1 = await publisher.AddTorrentAsync(new AddTorrentParams { Torrent = v1, SavePath = _temp.Combine("v1") });
        var seed2 = await publisher.AddTorrentAsync(new AddTorrentParams { Torrent = v2, SavePath = _temp.Combine("v2") });
        using var bound = new CancellationTokenSource(Bound);
        await seed1.WaitForStateAsync(TorrentState.Seeding, bound.Token);
        await seed2.WaitForStateAsync(TorrentState.Seeding, bound.Token);
        var key = DhtSigningKey.Generate();
        byte[] salt = "game"u8.ToArray();
        Assert.True((await publisher.PublishAsync(v1.InfoHashes.V1!, key, salt, bound.Token)).StoredCount > 0);
        string magnet = MagnetLink.CreateMutable(key.PublicKey.Span, salt).ToUri();

        using var stdout = new SyncWriter();
        using var stderr = new SyncWriter();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var following = Task.Run(() => Program.RunAsync(
            ["download", magnet, "--out", _temp.Combine("game"), "--follow", "--follow-interval", "5", "--listen", "127.0.0.4",
             "--dht-bootstrap", $"{Publisher}:{publisher.ListenPort}", "--dht-bootstrap", $"{Node}:{node.ListenPort}"],
            stdout, stderr, stop.Token));
        try
        {
            await OutputAsync(stdout, stderr, following, $"version 1: {v1.InfoHashes.V1!.ToHex()} complete");
            SwarmFixture.AssertSameFiles(_temp.Combine("v1"), _temp.Combine("game"), v1);

            Assert.Equal(2L, (await publisher.PublishAsync(v2.InfoHashes.V1!, key, salt, bound.Token)).Sequence);
            await OutputAsync(stdout, stderr, following, $"version 2: {v2.InfoHashes.V1!.ToHex()} complete");
            SwarmFixture.AssertSameFiles(_temp.Combine("v2"), _temp.Combine("game"), v2);
            Assert.Contains($"version 2 available: {v2.InfoHashes.V1!.ToHex()} (seq 2)", stdout.ToString(), StringComparison.Ordinal);
            // Version 2 found version 1's files in place: only the changed piece (and maybe a few
            // requested twice) came from the seed, not the whole torrent.
            var uploaded = (await seed2.GetStatusAsync()).TotalPayloadUpload;
            Assert.InRange(uploaded, 16384, v2.TotalSize / 4);
        }
        finally
        {
            await stop.CancelAsync();
        }

        // Ctrl-C while waiting for the next version is the normal end.
        int exit = await following;
        Assert.True(exit == 0, $"exit {exit}\n{stdout}\n{stderr}");
    }

    private static async Task<TorrentSession> StartAsync(IPAddress address, IReadOnlyList<string> bootstrap)
    {
        var session = new TorrentSession(new SessionSettings
        {
            ListenAddresses = [address],
            ListenPort = 0,
            EnableDht = true,
            DhtBootstrapNodes = bootstrap,
        });
        await session.StartAsync();
        return session;
    }

    // Polls the follower's output (bounded): the CLI writes lines as versions complete.
    private static async Task OutputAsync(SyncWriter stdout, SyncWriter stderr, Task<int> following, string line)
    {
        using var bound = new CancellationTokenSource(Bound);
        while (!stdout.ToString().Contains(line, StringComparison.Ordinal))
        {
            Assert.False(following.IsCompleted, $"the follower ended before '{line}':\n{stdout}\n{stderr}");
            await Task.Delay(200, bound.Token);
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
