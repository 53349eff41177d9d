using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using GodotTorrent.Cli.Output;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>gdtorrent demo [--size MiB] [--leechers N]</c>: a real swarm in one process with nothing
/// to set up. Writes random files to a temp folder, creates a torrent of them, starts a seeder
/// and N downloaders (separate sessions on 127.0.0.1, each downloader told about the seeder and
/// the other downloaders), shows their progress live, compares every downloaded file's SHA-256
/// with the source, prints the throughput, and deletes everything it made.
/// </summary>
internal sealed class DemoCommand : Command
{
    private const int DefaultSizeMiB = 64;
    private const int MaxSizeMiB = 64 * 1024;
    private const int DefaultLeechers = 3;
    private const int MaxLeechers = 50;
    private const int DefaultTimeoutSeconds = 600;

    private readonly CliConsole _console;

    private readonly Option<EncryptionPolicy> _encryption = EncryptionOption.Create();
    private readonly Option<TransportOption.Choice> _transport = TransportOption.Create();

    private readonly Option<int> _size = new("--size", "-s")
    {
        Description = "MiB of random sample data to share.",
        DefaultValueFactory = _ => DefaultSizeMiB,
        CustomParser = CommandLineValues.IntInRange("--size", 1, MaxSizeMiB, DefaultSizeMiB),
        HelpName = "MiB",
    };

    private readonly Option<int> _leechers = new("--leechers", "-l")
    {
        Description = "How many downloaders join the seeder (each its own session on 127.0.0.1).",
        DefaultValueFactory = _ => DefaultLeechers,
        CustomParser = CommandLineValues.IntInRange("--leechers", 1, MaxLeechers, DefaultLeechers),
        HelpName = "N",
    };

    private readonly Option<int> _timeout = new("--timeout")
    {
        Description = "Give up (exit code 1) when the downloads take longer than this many seconds.",
        DefaultValueFactory = _ => DefaultTimeoutSeconds,
        CustomParser = CommandLineValues.IntInRange("--timeout", 1, int.MaxValue / 1000, DefaultTimeoutSeconds),
        HelpName = "SECONDS",
    };

    public DemoCommand(CliConsole console)
        : base("demo", "Run a swarm in one process: random sample files, a torrent, a seeder and N downloaders on 127.0.0.1, live progress, SHA-256 verification, throughput; then clean up.")
    {
        _console = console;
        Options.Add(_size);
        Options.Add(_leechers);
        Options.Add(_timeout);
        Options.Add(_encryption);
        Options.Add(_transport);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        long size = parse.GetValue(_size) * 1024L * 1024;
        int leechers = parse.GetValue(_leechers);
        var output = _console.Out;
        var work = Directory.CreateTempSubdirectory("gdtorrent-demo-");
        var sessions = new List<TorrentSession>();
        try
        {
            output.WriteLine($"Working folder: {work.FullName}");
            string seedFolder = Path.Combine(work.FullName, "seed");
            string content = Path.Combine(seedFolder, "sample");
            int files = await SampleFolder.WriteAsync(content, size, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"Wrote {files.ToString(CultureInfo.InvariantCulture)} files of random data ({ByteSize.Format(size)}) to {content}");

            string torrentPath = Path.Combine(work.FullName, "sample.torrent");
            var options = new TorrentCreatorOptions { Comment = "gdtorrent demo sample", CreationDate = DateTimeOffset.UtcNow };
            TorrentInfo torrent = await CreateCommand.CreateAsync(_console, content, torrentPath, options, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"Created {torrentPath}");
            InfoPrinter.WriteSummary(output, InfoReports.FromTorrent(torrent));
            output.WriteLine(torrent.ToMagnet().ToUri());
            output.WriteLine();

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(parse.GetValue(_timeout)));
            var swarm = new DemoSwarm(_console, torrent, work.FullName, seedFolder, leechers, sessions, parse.GetValue(_encryption), parse.GetValue(_transport));
            SwarmResult result = await swarm.RunAsync(deadline.Token, cancellationToken).ConfigureAwait(false);

            long connections = 0, encrypted = 0, utp = 0;
            foreach (var session in sessions)
            {
                var stats = await session.GetStatisticsAsync(cancellationToken).ConfigureAwait(false);
                connections += stats.IncomingConnections + stats.OutgoingConnections;
                encrypted += stats.EncryptedConnections;
                utp += stats.UtpConnections;
            }

            output.WriteLine($"Connection ends: {connections.ToString(CultureInfo.InvariantCulture)} (each connection counts at both peers), {encrypted.ToString(CultureInfo.InvariantCulture)} of them encrypted (MSE, --encryption {parse.GetValue(_encryption).ToString().ToLowerInvariant()}), {utp.ToString(CultureInfo.InvariantCulture)} over uTP (--transport {parse.GetValue(_transport).ToString().ToLowerInvariant()})");
            output.WriteLine();
            bool verified = await VerifyAsync(output, torrent, seedFolder, result.LeecherFolders, cancellationToken).ConfigureAwait(false);
            long delivered = torrent.TotalSize * leechers;
            double seconds = Math.Max(result.Elapsed.TotalSeconds, 0.001);
            output.WriteLine(
                $"Throughput: {ByteSize.Format(delivered)} delivered to {leechers.ToString(CultureInfo.InvariantCulture)} leecher(s) in {seconds.ToString("0.00", CultureInfo.InvariantCulture)} s "
                + $"= {(delivered / seconds / 1e6).ToString("0.0", CultureInfo.InvariantCulture)} MB/s across the swarm "
                + $"({(torrent.TotalSize / seconds / 1e6).ToString("0.0", CultureInfo.InvariantCulture)} MB/s per leecher); "
                + $"the seeder uploaded {ByteSize.Format(result.SeederUploaded)}, the leechers {ByteSize.Format(Math.Max(0, result.TotalUploaded - result.SeederUploaded))} to each other");
            return verified ? ExitCodes.Success : ExitCodes.Failure;
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }

            work.Delete(recursive: true);
            output.WriteLine($"Removed {work.FullName}");
        }
    }

    /// <summary>Compares every file of every leecher with the source by SHA-256; prints one line per leecher and a verdict.</summary>
    private static async Task<bool> VerifyAsync(TextWriter output, TorrentInfo torrent, string seedFolder, IReadOnlyList<string> leecherFolders, CancellationToken cancellationToken)
    {
        var paths = torrent.Files.Where(f => !f.IsPad).Select(f => f.Path).ToList();
        var source = await Task.WhenAll(paths.Select(p => Sha256Async(Path.Combine(seedFolder, p), cancellationToken))).ConfigureAwait(false);
        bool all = true;
        for (int i = 0; i < leecherFolders.Count; i++)
        {
            var copies = await Task.WhenAll(paths.Select(p => Sha256Async(Path.Combine(leecherFolders[i], p), cancellationToken))).ConfigureAwait(false);
            var different = paths.Where((_, k) => copies[k] is null || copies[k] != source[k]).ToList();
            all &= different.Count == 0;
            output.WriteLine(different.Count == 0
                ? $"leecher {(i + 1).ToString(CultureInfo.InvariantCulture)}: {paths.Count.ToString(CultureInfo.InvariantCulture)} files, SHA-256 identical to the source"
                : $"leecher {(i + 1).ToString(CultureInfo.InvariantCulture)}: DIFFERENT from the source: {string.Join(", ", different)}");
        }

        output.WriteLine(all
            ? $"Verified: every file of all {leecherFolders.Count.ToString(CultureInfo.InvariantCulture)} leecher(s) matches the source (SHA-256)"
            : "NOT verified: some downloaded files differ from the source");
        return all;
    }

    private static async Task<string?> Sha256Async(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 20, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            return Convert.ToHexString(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }

    private sealed record SwarmResult(TimeSpan Elapsed, IReadOnlyList<string> LeecherFolders, long SeederUploaded, long TotalUploaded);

    /// <summary>The seeder and the leechers, their sessions on 127.0.0.1, and the live view of them.</summary>
    private sealed class DemoSwarm(CliConsole console, TorrentInfo torrent, string work, string seedFolder, int leechers, List<TorrentSession> sessions, EncryptionPolicy encryption, TransportOption.Choice transport)
    {
        private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);

        private SessionSettings Loopback => TransportOption.Apply(EncryptionOption.Apply(new SessionSettings { ListenAddresses = [IPAddress.Loopback], ListenPort = 0 }, encryption), transport);

        public async Task<SwarmResult> RunAsync(CancellationToken deadline, CancellationToken cancellationToken)
        {
            var seeder = await StartSessionAsync(cancellationToken).ConfigureAwait(false);
            var leecherSessions = new List<TorrentSession>();
            for (int i = 0; i < leechers; i++)
            {
                leecherSessions.Add(await StartSessionAsync(cancellationToken).ConfigureAwait(false));
            }

            var seed = await seeder.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = seedFolder }, cancellationToken).ConfigureAwait(false);
            var seeding = await WaitAsync(seed.WaitForAsync(s => s.State is TorrentState.Seeding or TorrentState.Error, deadline), "the seeder's check", deadline, cancellationToken).ConfigureAwait(false);
            if (seeding.State != TorrentState.Seeding)
            {
                throw new CliException($"the seeder cannot seed: {seeding.ErrorMessage ?? seeding.StateName}");
            }

            var endPoints = leecherSessions.Select(s => new IPEndPoint(IPAddress.Loopback, s.ListenPort)).ToList();
            var seedEndPoint = new IPEndPoint(IPAddress.Loopback, seeder.ListenPort);
            console.Out.WriteLine($"Seeder on {seedEndPoint}; {leechers.ToString(CultureInfo.InvariantCulture)} leecher(s) on {string.Join(", ", endPoints)}");

            var clock = Stopwatch.StartNew();
            var folders = new List<string>();
            var handles = new List<TorrentHandle>();
            for (int i = 0; i < leechers; i++)
            {
                string folder = Path.Combine(work, $"leecher{(i + 1).ToString(CultureInfo.InvariantCulture)}");
                folders.Add(folder);
                handles.Add(await leecherSessions[i].AddTorrentAsync(
                    new AddTorrentParams { Torrent = torrent, SavePath = folder, Peers = [seedEndPoint, .. endPoints.Where((_, k) => k != i)] },
                    cancellationToken).ConfigureAwait(false));
            }

            var names = new List<string> { "seeder" };
            names.AddRange(Enumerable.Range(1, leechers).Select(i => $"leecher {i.ToString(CultureInfo.InvariantCulture)}"));
            var (elapsed, seederUploaded, totalUploaded) = await LiveProgress.RunAsync(console, names, rows => WatchAsync(rows, seed, handles, clock, deadline, cancellationToken)).ConfigureAwait(false);
            return new SwarmResult(elapsed, folders, seederUploaded, totalUploaded);
        }

        private static async Task<(TimeSpan Elapsed, long SeederUploaded, long TotalUploaded)> WatchAsync(
            IProgressRows rows, TorrentHandle seed, List<TorrentHandle> handles, Stopwatch clock, CancellationToken deadline, CancellationToken cancellationToken)
        {
            var finishedAt = new TimeSpan?[handles.Count];
            while (true)
            {
                var seedStatus = await seed.GetStatusAsync(cancellationToken).ConfigureAwait(false);
                var statuses = await Task.WhenAll(handles.Select(h => h.GetStatusAsync(cancellationToken))).ConfigureAwait(false);
                // The seeder's row shows the swarm's progress: the leechers' average.
                rows.Update(0, statuses.Average(s => s.Progress), $"sent {ByteSize.Format(seedStatus.TotalPayloadUpload)}  up {ByteSize.Format(seedStatus.UploadRate)}/s  {seedStatus.PeerCount.ToString(CultureInfo.InvariantCulture)} peers");
                for (int i = 0; i < statuses.Length; i++)
                {
                    var status = statuses[i];
                    if (status.State == TorrentState.Error)
                    {
                        throw new CliException($"leecher {(i + 1).ToString(CultureInfo.InvariantCulture)} stopped with an error: {status.ErrorMessage}");
                    }

                    if (status.IsSeeding && finishedAt[i] is null)
                    {
                        finishedAt[i] = clock.Elapsed;
                    }

                    string done = finishedAt[i] is { } at ? $" in {at.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s" : "";
                    rows.Update(i + 1, status.Progress, TransferWatch.Describe(status) + done);
                }

                if (finishedAt.All(f => f is not null))
                {
                    return (finishedAt.Max()!.Value, seedStatus.TotalPayloadUpload, seedStatus.TotalPayloadUpload + statuses.Sum(s => s.TotalPayloadUpload));
                }

                if (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    int done = finishedAt.Count(f => f is not null);
                    throw new CliException($"timed out: {done.ToString(CultureInfo.InvariantCulture)} of {handles.Count.ToString(CultureInfo.InvariantCulture)} leecher(s) finished ({TransferWatch.Describe(statuses.First(s => !s.IsSeeding))})");
                }

                await Task.Delay(Tick, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<TorrentSession> StartSessionAsync(CancellationToken cancellationToken)
        {
            var session = new TorrentSession(Loopback);
            sessions.Add(session);
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }

        private static async Task<TorrentStatus> WaitAsync(Task<TorrentStatus> wait, string what, CancellationToken deadline, CancellationToken cancellationToken)
        {
            try
            {
                return await wait.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new CliException($"timed out waiting for {what}");
            }
        }
    }
}
