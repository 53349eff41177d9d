using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Tests.Core;
using GodotTorrent.Tests.Metainfo;
using GodotTorrent.Torrent;

namespace GodotTorrent.Tests.Torrent;

/// <summary>
/// Metadata fetched from peers (BEP 9) is a stranger's info dictionary of any shape: it is parsed
/// through the session's background runner, never on the engine loop (issue step 08, item 3).
/// </summary>
public class MetadataParseTests
{
    [Fact]
    public async Task Fetched_metadata_is_parsed_by_the_background_runner_not_on_the_caller()
    {
        var infoBytes = BencodeWriter.Encode(TorrentFiles.MultiFileInfo("many", Enumerable.Repeat((new[] { "a.txt" }, 1), 1000).ToList(), 16384));
        var runner = new HeldRunner();
        var phase = new MetadataPhase(new Host(), null, TorrentInfo.FromInfoDictionary(infoBytes).InfoHashes, TimeProvider.System, runner);

        var parse = phase.ParseAsync(infoBytes);

        // The loop got a pending task back: the parse waits for the runner, which has not run it.
        Assert.False(parse.IsCompleted);
        Assert.Equal(1, runner.Held);

        runner.RunHeld();
        var torrent = await parse;
        Assert.NotNull(torrent);
        Assert.Equal(1000, torrent.Files.Count);
    }

    [Fact]
    public async Task Invalid_fetched_metadata_fails_the_torrent_after_the_runner_parsed_it()
    {
        var runner = new HeldRunner();
        var host = new Host();
        var phase = new MetadataPhase(host, null, new InfoHashes(new InfoHash(new byte[20]), null), TimeProvider.System, runner);

        var parse = phase.ParseAsync("d4:name1:xe"u8.ToArray());
        Assert.False(parse.IsCompleted);
        Assert.Null(host.Failure);

        runner.RunHeld();
        Assert.Null(await parse);
        Assert.Equal(ErrorCode.MissingField, host.Failure);
    }

    private sealed class Host : IMetadataPhaseHost
    {
        public ErrorCode? Failure { get; private set; }

        public IEnumerable<PeerConnection> ConnectedPeers => [];

        public bool IsRemoved => false;

        public bool TryGetPeer(int id, out PeerConnection peer)
        {
            peer = null!;
            return false;
        }

        public void Disconnect(PeerConnection peer, ErrorCode code, string reason)
        {
        }

        public void MetadataFetched(byte[] infoBytes)
        {
        }

        public void MetadataFailed(ErrorCode code, string message) => Failure = code;

        public void Fail(ErrorCode code, string message)
        {
        }
    }
}
