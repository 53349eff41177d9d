using System.Security.Cryptography;
using GodotTorrent.Metainfo;
using GodotTorrent.Net;
using GodotTorrent.Net.Handshake;
using GodotTorrent.Session;
using GodotTorrent.Wire;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Net;

public sealed class ConnectionNegotiatorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly Id20 Known = new(SHA1.HashData("known"u8));
    private static readonly Id20 Unknown = new(SHA1.HashData("unknown"u8));

    [Fact]
    public async Task Both_directions_agree_on_the_torrent_and_learn_each_others_peer_id()
    {
        await using var pair = await LoopbackPair.OpenAsync();
        var dialler = Negotiator(out var diallerId);
        var acceptor = Negotiator(out var acceptorId);

        var accepting = acceptor.AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);
        var dialled = await dialler.ConnectAsync(pair.Dialler, Known, encrypted: false, Timeout, CancellationToken.None);
        var accepted = await accepting;

        Assert.Equal(Known, dialled.Handshake.InfoHash);
        Assert.Equal(acceptorId, dialled.Handshake.PeerId);
        Assert.Equal(Known, accepted.Handshake.InfoHash);
        Assert.Equal(diallerId, accepted.Handshake.PeerId);
        Assert.True(accepted.Handshake.Reserved.ExtensionProtocol);
        Assert.True(dialled.Handshake.Reserved.FastExtension);
    }

    [Fact]
    public async Task An_unknown_torrent_is_refused_before_we_answer()
    {
        await using var pair = await LoopbackPair.OpenAsync();
        var dialler = new ConnectionNegotiator(PeerId.Generate(), new Directory(Unknown), TimeProvider.System);
        var acceptor = Negotiator(out _);

        var accepting = acceptor.AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);
        var dialling = dialler.ConnectAsync(pair.Dialler, Unknown, encrypted: false, Timeout, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<PeerProtocolException>(() => accepting);
        Assert.Equal(ErrorCode.InfoHashMismatch, refused.ErrorCode);
        await pair.Acceptor.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => dialling);
    }

    [Fact]
    public async Task A_connection_not_starting_with_the_protocol_string_is_dropped()
    {
        await using var pair = await LoopbackPair.OpenAsync();
        var acceptor = Negotiator(out _);
        var accepting = acceptor.AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);

        await pair.Dialler.SendAsync(RandomNumberGenerator.GetBytes(96), CancellationToken.None);

        var error = await Assert.ThrowsAsync<PeerProtocolException>(() => accepting);
        Assert.Equal(ErrorCode.InvalidHandshake, error.ErrorCode);
    }

    [Fact]
    public async Task A_decorator_claims_what_it_recognises_and_the_handshake_runs_over_its_stream()
    {
        await using var pair = await LoopbackPair.OpenAsync();
        var decorator = new MarkerDecorator();
        var acceptor = new ConnectionNegotiator(PeerId.Generate(), new Directory(Known), TimeProvider.System, [decorator]);
        var dialler = new ConnectionNegotiator(PeerId.Generate(), new Directory(Known), TimeProvider.System, [decorator]);

        var accepting = acceptor.AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);
        var dialled = await dialler.ConnectAsync(pair.Dialler, Known, encrypted: false, Timeout, CancellationToken.None);
        var accepted = await accepting;

        Assert.Equal(Known, accepted.Handshake.InfoHash);
        Assert.Equal(Known, dialled.Handshake.InfoHash);
        Assert.Equal(2, decorator.Uses);
    }

    [Fact]
    public async Task A_v2_only_torrent_is_found_by_its_truncated_hash()
    {
        var v2 = InfoHash.ComputeV2("a v2 info dictionary"u8);
        var truncated = new Id20(v2.Truncated);
        await using var pair = await LoopbackPair.OpenAsync();
        var acceptor = new ConnectionNegotiator(PeerId.Generate(), new Directory(truncated), TimeProvider.System);
        var dialler = new ConnectionNegotiator(PeerId.Generate(), new Directory(truncated), TimeProvider.System);

        var accepting = acceptor.AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);
        await dialler.ConnectAsync(pair.Dialler, truncated, encrypted: false, Timeout, CancellationToken.None);

        Assert.Equal(truncated, (await accepting).Handshake.InfoHash);
    }

    [Fact]
    public async Task The_session_finds_a_v2_torrent_by_its_truncated_hash()
    {
        var v2 = InfoHash.ComputeV2("another v2 info dictionary"u8);
        var root = Path.Combine(Path.GetTempPath(), "gt-negotiator-" + Guid.NewGuid().ToString("N"));
        await using var session = new TorrentSession(new SessionSettings { ListenAddresses = [System.Net.IPAddress.Loopback], ListenPort = 0 });
        await session.StartAsync();
        try
        {
            await session.AddTorrentAsync(new AddTorrentParams { Magnet = MagnetLink.Parse($"magnet:?xt=urn:btmh:1220{v2.ToHex()}"), SavePath = root });

            ITorrentDirectory directory = session;
            Assert.True(directory.AcceptsPeers(new Id20(v2.Truncated)));
            Assert.False(directory.AcceptsPeers(Unknown));
            Assert.Equal([new Id20(v2.Truncated)], directory.WireHashes());
        }
        finally
        {
            await session.StopAsync();
            if (System.IO.Directory.Exists(root))
            {
                System.IO.Directory.Delete(root, recursive: true);
            }
        }
    }

    [Fact]
    public async Task A_silent_peer_times_out_on_the_injected_clock()
    {
        await using var pair = await LoopbackPair.OpenAsync();
        var time = new FakeTimeProvider();
        var acceptor = new ConnectionNegotiator(PeerId.Generate(), new Directory(Known), time);

        var accepting = acceptor.AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);
        Assert.False(accepting.IsCompleted);
        time.Advance(Timeout);

        var error = await Assert.ThrowsAsync<PeerProtocolException>(() => accepting);
        Assert.Equal(ErrorCode.ConnectTimeout, error.ErrorCode);
    }

    private static ConnectionNegotiator Negotiator(out PeerId id)
    {
        id = PeerId.Generate();
        return new ConnectionNegotiator(id, new Directory(Known), TimeProvider.System);
    }

    private sealed class Directory(Id20 known) : ITorrentDirectory
    {
        public bool AcceptsPeers(Id20 wireHash) => wireHash == known;

        public IEnumerable<Id20> WireHashes() => [known];
    }

    /// <summary>Stands in for MSE: the dialler sends a 4-byte marker first; the acceptor recognises and strips it.</summary>
    private sealed class MarkerDecorator : IStreamDecorator
    {
        private static readonly byte[] Marker = [0xFE, 0xED, 0xFA, 0xCE];

        public int Uses { get; private set; }

        public int PrefixLength => Marker.Length;

        public bool Claims(ReadOnlySpan<byte> prefix) => prefix.StartsWith(Marker);

        public ValueTask<IPeerConnectionStream> AcceptAsync(IPeerConnectionStream stream, ReadOnlyMemory<byte> prefix, ITorrentDirectory torrents, CancellationToken cancellationToken)
        {
            Uses++;
            return ValueTask.FromResult<IPeerConnectionStream>(new PrefixedStream(stream, prefix[Marker.Length..]));
        }

        public async ValueTask<IPeerConnectionStream?> ConnectAsync(IPeerConnectionStream stream, Id20 wireHash, CancellationToken cancellationToken)
        {
            Uses++;
            await stream.SendAsync(Marker, cancellationToken);
            return stream;
        }
    }
}
