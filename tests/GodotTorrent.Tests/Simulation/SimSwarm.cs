using System.Net;
using GodotTorrent.Engine;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Tests.Metainfo;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// The harness of simulated tests: N sessions on one <see cref="SimNetwork"/>, all on one
/// <see cref="SteppedScheduler"/> and one <see cref="SimClock"/>. Tests drive it with
/// <see cref="Run(Task, TimeSpan?)"/> and <see cref="RunUntil"/>; nothing sleeps and every wait
/// is bounded in virtual time. The same seed gives the same run.
/// </summary>
internal sealed class SimSwarm : IDisposable
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    private readonly int _seed;
    private readonly List<SimNode> _nodes = [];

    public SimSwarm(int seed = 1)
        : this(seed, Microsoft.Extensions.Logging.LogLevel.Warning)
    {
    }

    public SimSwarm(int seed, Microsoft.Extensions.Logging.LogLevel logLevel)
    {
        _seed = seed;
        Clock = new SimClock();
        Scheduler = new SteppedScheduler(Clock, Clock.NextDue, Clock.AdvanceTo);
        Network = new SimNetwork(Scheduler, seed);
        Log = new SimLog(Clock, logLevel);
    }

    /// <summary>What the sessions logged (warnings and up unless a test lowers it with <see cref="SimSwarm(int, Microsoft.Extensions.Logging.LogLevel)"/>).</summary>
    public SimLog Log { get; }

    public SimClock Clock { get; }

    public SteppedScheduler Scheduler { get; }

    public SimNetwork Network { get; }

    public IReadOnlyList<SimNode> Nodes => _nodes;

    /// <summary>Every alert of every node in order, with its virtual time: the run's trace.</summary>
    public List<string> Trace { get; } = [];

    /// <summary>Settings for a simulated node: listen on its own address, nothing that needs the real internet.</summary>
    public static SessionSettings DefaultSettings => new() { ListenPort = 6881 };

    /// <summary>A single-file torrent of <paramref name="length"/> random bytes (from <paramref name="contentSeed"/>) and its content.</summary>
    public static (TorrentInfo Torrent, byte[] Content) MakeTorrent(int length, int pieceLength = 256 * 1024, int contentSeed = 7)
    {
        var content = TorrentFiles.Content(length, contentSeed);
        var torrent = TorrentInfo.Parse(TorrentFiles.Torrent(TorrentFiles.SingleFileInfo("payload.bin", content, pieceLength)));
        return (torrent, content);
    }

    /// <summary>Starts a session on a new host; on <paramref name="disk"/> when given (a restart that finds another node's files).</summary>
    public SimNode AddNode(SessionSettings? settings = null, Func<TorrentSessionOptions, TorrentSessionOptions>? configure = null, SimDisk? disk = null)
    {
        int index = _nodes.Count;
        var host = Network.AddHost();
        disk ??= new SimDisk(Scheduler);
        var options = new TorrentSessionOptions
        {
            TimeProvider = Clock,
            LoggerFactory = Log,
            StorageFactory = disk,
            SynchronizationContext = Scheduler,
            Transport = host,
            Datagrams = host,
            BackgroundRunner = Scheduler,
            LoopFactory = onError => Scheduler.CreateLoop(onError),
            RandomSeed = unchecked((_seed * 7919) + index),
        };
        options = configure?.Invoke(options) ?? options;
        var session = new TorrentSession((settings ?? DefaultSettings) with { ListenAddresses = [host.Address] }, options);
        var node = new SimNode(index, host, disk, session);
        session.Alerts.AlertPosted += (_, e) => Trace.Add($"{Clock.Elapsed.Ticks} {node} {e.Alert.TypeName} {e.Alert.Message}");
        Run(session.StartAsync());
        _nodes.Add(node);
        return node;
    }

    /// <summary>Adds the torrent to <paramref name="node"/>, as a seed when <paramref name="content"/> is given.</summary>
    public TorrentHandle AddTorrent(SimNode node, TorrentInfo torrent, byte[]? content = null, IReadOnlyList<IPEndPoint>? peers = null, bool paused = false)
    {
        string savePath = $"/sim/{node}";
        if (content is not null)
        {
            node.Disk.Preload(savePath, content);
        }

        node.Torrent = Run(node.Session.AddTorrentAsync(new AddTorrentParams { Torrent = torrent, SavePath = savePath, Peers = peers ?? [], Paused = paused }));
        return node.Torrent;
    }

    /// <summary>
    /// Adds a torrent or magnet to <paramref name="node"/> with any parameters; its save path
    /// defaults to the node's (give torrents of one node their own). A seed when
    /// <paramref name="pieceSpace"/> is given.
    /// </summary>
    public TorrentHandle AddTorrent(SimNode node, AddTorrentParams parameters, byte[]? pieceSpace = null)
    {
        var savePath = string.IsNullOrEmpty(parameters.SavePath) ? $"/sim/{node}" : parameters.SavePath;
        if (pieceSpace is not null)
        {
            node.Disk.Preload(savePath, pieceSpace);
        }

        node.Torrent = Run(node.Session.AddTorrentAsync(parameters with { SavePath = savePath }));
        return node.Torrent;
    }

    /// <summary>What <paramref name="node"/> holds of <paramref name="file"/> (read piece by piece from its disk).</summary>
    public byte[] ReadFile(SimNode node, FileEntry file, string? savePath = null)
    {
        var storage = node.Disk[savePath ?? $"/sim/{node}"];
        var result = new byte[file.Length];
        long pieceLength = storage.Torrent.PieceLength;
        for (long done = 0; done < file.Length;)
        {
            long at = file.Offset + done;
            int piece = (int)(at / pieceLength);
            int offset = (int)(at % pieceLength);
            int size = (int)Math.Min(pieceLength - offset, file.Length - done);
            Run(storage.ReadAsync(piece, offset, result.AsMemory((int)done, size)).AsTask());
            done += size;
        }

        return result;
    }

    /// <summary>
    /// One seed and <paramref name="downloaders"/> downloaders of <paramref name="torrent"/>; each
    /// downloader knows the seed and up to four earlier downloaders, as a tracker would hand out
    /// (PEX spreads the rest). Returns the downloaders.
    /// </summary>
    public List<SimNode> StartSwarm(TorrentInfo torrent, byte[] content, int downloaders)
    {
        var seed = AddNode();
        AddTorrent(seed, torrent, content);
        var leechers = new List<SimNode>();
        var random = new Random(downloaders);
        for (int i = 0; i < downloaders; i++)
        {
            var leecher = AddNode();
            var peers = leechers.OrderBy(_ => random.Next()).Take(4).Select(l => l.EndPoint).Prepend(seed.EndPoint).ToList();
            AddTorrent(leecher, torrent, peers: peers);
            leechers.Add(leecher);
        }

        return leechers;
    }

    public static bool AllSeeding(List<SimNode> nodes) => nodes.TrueForAll(n => n.Torrent!.Status.State == TorrentState.Seeding);

    /// <summary>Runs the simulation until <paramref name="task"/> completes; fails when it does not within <paramref name="timeout"/> of virtual time.</summary>
    public void Run(Task task, TimeSpan? timeout = null)
    {
        if (!Scheduler.RunUntilComplete(task, timeout ?? DefaultTimeout))
        {
            throw new TimeoutException($"Not done after {timeout ?? DefaultTimeout} of virtual time.");
        }

        task.GetAwaiter().GetResult();
    }

    public T Run<T>(Task<T> task, TimeSpan? timeout = null)
    {
        Run((Task)task, timeout);
        return task.GetAwaiter().GetResult();
    }

    /// <summary>Runs until <paramref name="condition"/> holds or <paramref name="timeout"/> of virtual time passed; returns whether it held.</summary>
    public bool RunUntil(Func<bool> condition, TimeSpan timeout) => Scheduler.RunUntil(condition, timeout);

    /// <summary>Runs for <paramref name="duration"/> of virtual time.</summary>
    public void RunFor(TimeSpan duration) => Scheduler.RunUntil(() => false, duration);

    /// <summary>The latest status of a node's torrent, fetched on its loop.</summary>
    public TorrentStatus Status(SimNode node) => Run(node.Torrent!.GetStatusAsync());

    public void Dispose()
    {
        foreach (var node in _nodes)
        {
            var stop = node.Session.DisposeAsync().AsTask();
            Scheduler.RunUntilComplete(stop, TimeSpan.FromMinutes(1));
        }
    }
}
