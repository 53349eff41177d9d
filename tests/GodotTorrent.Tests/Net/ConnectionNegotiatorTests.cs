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
        var dialler = Negotiators.Create(new Directory(Unknown));
        var acceptor = Negotiator(out _);

        var accepting = acceptor.AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);
        var dialling = dialler.ConnectAsync(pair.Dialler, Unknown, encrypted: false, Timeout, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<PeerProtocolException>(() => accepting);
        Assert.Equal(ErrorCode.InfoHashMismatch, refused.ErrorCode);
        await pair.Acceptor.DisposeAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => dialling);
    }

    [Fact]
    public async Task A_connection_not_starting_with_the_protocol_string_is_dropped_when_encryption_is_disabled()
    {
        await using var pair = await LoopbackPair.OpenAsync();
        var acceptor = Negotiators.Create(new Directory(Known), settings: new SessionSettings { IncomingEncryption = EncryptionPolicy.Disabled });
        var accepting = acceptor.AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);

        await pair.Dialler.SendAsync(RandomNumberGenerator.GetBytes(96), CancellationToken.None);

        var error = await Assert.ThrowsAsync<PeerProtocolException>(() => accepting);
        Assert.Equal(ErrorCode.EncryptionRequired, error.ErrorCode);
    }

    [Fact]
    public async Task Garbage_where_an_MSE_key_may_be_fails_the_MSE_handshake()
    {
        await using var pair = await LoopbackPair.OpenAsync();
        var acceptor = Negotiator(out _);
        var accepting = acceptor.AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);

        await pair.Dialler.SendAsync(RandomNumberGenerator.GetBytes(96 + 600), CancellationToken.None);

        var error = await Assert.ThrowsAsync<PeerProtocolException>(() => accepting);
        Assert.Equal(ErrorCode.EncryptionHandshakeFailed, error.ErrorCode);
    }

    [Fact]
    public async Task An_encrypted_connection_over_TCP_agrees_on_the_torrent_and_the_level()
    {
        await using var pair = await LoopbackPair.OpenAsync();
        var settings = new SessionSettings { PreferRc4 = true };
        var dialler = Negotiators.Create(new Directory(Known), settings: settings, seed: 2);
        var acceptor = Negotiators.Create(new Directory(Known), settings: settings, seed: 3);

        var accepting = acceptor.AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);
        var dialled = await dialler.ConnectAsync(pair.Dialler, Known, encrypted: true, Timeout, CancellationToken.None);
        var accepted = await accepting;

        Assert.Equal(Known, accepted.Handshake.InfoHash);
        Assert.Equal(Known, dialled.Handshake.InfoHash);
        Assert.Equal(PeerEncryption.Rc4, dialled.Encryption);
        Assert.Equal(PeerEncryption.Rc4, accepted.Encryption);
        await dialled.Stream.SendAsync("hello"u8.ToArray(), CancellationToken.None);
        var received = new byte[5];
        Assert.Equal(5, await accepted.Stream.ReceiveAsync(received, CancellationToken.None));
        Assert.Equal("hello"u8.ToArray(), received);
    }
    [Fact]
    public async Task A_v2_only_torrent_is_found_by_its_truncated_hash()
    {
        var v2 = InfoHash.ComputeV2("a v2 info dictionary"u8);
        var truncated = new Id20(v2.Truncated);
        await using var pair = await LoopbackPair.OpenAsync();
        var acceptor = Negotiators.Create(new Directory(truncated));
        var dialler = Negotiators.Create(new Directory(truncated));

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
        var acceptor = Negotiators.Create(new Directory(Known), time);

        var accepting = acceptor.AcceptAsync(pair.Acceptor, Timeout, CancellationToken.None);
        Assert.False(accepting.IsCompleted);
        time.Advance(Timeout);

        var error = await Assert.ThrowsAsync<PeerProtocolException>(() => accepting);
        Assert.Equal(ErrorCode.ConnectTimeout, error.ErrorCode);
    }

    private static ConnectionNegotiator Negotiator(out PeerId id)
    {
        id = PeerId.Generate();
        return Negotiators.Create(new Directory(Known), id: id);
    }

    private sealed class Directory(Id20 known) : ITorrentDirectory
    {
        public bool AcceptsPeers(Id20 wireHash) => wireHash == known;

        public IEnumerable<Id20> WireHashes() => [known];
    }
}
