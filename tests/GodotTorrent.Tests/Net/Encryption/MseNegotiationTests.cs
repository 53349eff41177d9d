using System.Security.Cryptography;
using GodotTorrent.Net.Handshake;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Net.Encryption;

public sealed class MseNegotiationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly Id20 Known = new(SHA1.HashData("mse known"u8));

    public static TheoryData<EncryptionLevel, bool, EncryptionLevel, bool> Combinations()
    {
        var data = new TheoryData<EncryptionLevel, bool, EncryptionLevel, bool>();
        EncryptionLevel[] levels = [EncryptionLevel.Plaintext, EncryptionLevel.Rc4, EncryptionLevel.Both];
        foreach (var dialler in levels)
        {
            foreach (var acceptor in levels)
            {
                foreach (bool diallerPrefers in new[] { false, true })
                {
                    foreach (bool acceptorPrefers in new[] { false, true })
                    {
                        data.Add(dialler, diallerPrefers, acceptor, acceptorPrefers);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public async Task Every_combination_of_levels_selects_the_expected_method_and_carries_a_MiB_each_way(
        EncryptionLevel diallerLevel, bool diallerPrefersRc4, EncryptionLevel acceptorLevel, bool acceptorPrefersRc4)
    {
        var duplex = new MemoryDuplex();
        var dialler = Negotiators.Create(new Negotiators.Directory(Known), settings: new SessionSettings { AllowedEncryptionLevel = diallerLevel, PreferRc4 = diallerPrefersRc4 }, seed: 11);
        var acceptor = Negotiators.Create(new Negotiators.Directory(Known), settings: new SessionSettings { AllowedEncryptionLevel = acceptorLevel, PreferRc4 = acceptorPrefersRc4 }, seed: 12);
        var common = diallerLevel & acceptorLevel;
        PeerEncryption? expected = common switch
        {
            EncryptionLevel.Plaintext => PeerEncryption.Plaintext,
            EncryptionLevel.Rc4 => PeerEncryption.Rc4,
            EncryptionLevel.Both => acceptorPrefersRc4 ? PeerEncryption.Rc4 : PeerEncryption.Plaintext,
            _ => null,
        };

        var accepting = acceptor.AcceptAsync(duplex.Acceptor, Timeout, CancellationToken.None);
        var dialling = dialler.ConnectAsync(duplex.Dialler, Known, encrypted: true, Timeout, CancellationToken.None);
        if (expected is null)
        {
            var refused = await Assert.ThrowsAsync<PeerProtocolException>(() => accepting);
            Assert.Equal(ErrorCode.EncryptionHandshakeFailed, refused.ErrorCode);
            Assert.Contains("No crypto method", refused.Message, StringComparison.Ordinal);
            duplex.Acceptor.Abort();
            var failed = await Assert.ThrowsAsync<PeerProtocolException>(() => dialling);
            Assert.Equal(ErrorCode.EncryptionHandshakeFailed, failed.ErrorCode);
            return;
        }

        var dialled = await dialling;
        var accepted = await accepting;
        Assert.Equal(expected, dialled.Encryption);
        Assert.Equal(expected, accepted.Encryption);
        Assert.Equal(Known, accepted.Handshake.InfoHash);

        var up = RandomNumberGenerator.GetBytes(1 << 20);
        var down = RandomNumberGenerator.GetBytes(1 << 20);
        await dialled.Stream.SendAsync(up, CancellationToken.None);
        await accepted.Stream.SendAsync(down, CancellationToken.None);
        Assert.Equal(up, await ReceiveAsync(accepted.Stream, up.Length));
        Assert.Equal(down, await ReceiveAsync(dialled.Stream, down.Length));

        // What a wire tap sees: the payload itself at the plaintext level, something else under RC4.
        var wire = duplex.Dialler.Sent[^up.Length..];
        if (expected == PeerEncryption.Rc4)
        {
            Assert.NotEqual(up, wire);
            Assert.True(wire.Zip(up).Count(pair => pair.First == pair.Second) < up.Length / 100);
        }
        else
        {
            Assert.Equal(up, wire);
        }
    }

    [Fact]
    public async Task Incoming_forced_refuses_a_plaintext_handshake()
    {
        var duplex = new MemoryDuplex();
        var acceptor = Negotiators.Create(new Negotiators.Directory(Known), settings: new SessionSettings { IncomingEncryption = EncryptionPolicy.Forced });
        var dialler = Negotiators.Create(new Negotiators.Directory(Known));

        var accepting = acceptor.AcceptAsync(duplex.Acceptor, Timeout, CancellationToken.None);
        var dialling = dialler.ConnectAsync(duplex.Dialler, Known, encrypted: false, Timeout, CancellationToken.None);

        var error = await Assert.ThrowsAsync<PeerProtocolException>(() => accepting);
        Assert.Equal(ErrorCode.EncryptionRequired, error.ErrorCode);
        duplex.Acceptor.Abort();
        await Assert.ThrowsAsync<PeerProtocolException>(() => dialling);
    }

    [Fact]
    public async Task Incoming_forced_accepts_MSE()
    {
        var duplex = new MemoryDuplex();
        var acceptor = Negotiators.Create(new Negotiators.Directory(Known), settings: new SessionSettings { IncomingEncryption = EncryptionPolicy.Forced });
        var dialler = Negotiators.Create(new Negotiators.Directory(Known), seed: 2);

        var accepting = acceptor.AcceptAsync(duplex.Acceptor, Timeout, CancellationToken.None);
        var dialled = await dialler.ConnectAsync(duplex.Dialler, Known, encrypted: true, Timeout, CancellationToken.None);

        Assert.Equal(PeerEncryption.Plaintext, (await accepting).Encryption);
        Assert.Equal(PeerEncryption.Plaintext, dialled.Encryption);
    }

    [Fact]
    public async Task Incoming_disabled_refuses_MSE_before_any_key_work_and_the_dialler_learns_the_peer_does_not_speak_it()
    {
        var duplex = new MemoryDuplex();
        var acceptor = Negotiators.Create(new Negotiators.Directory(Known), settings: new SessionSettings { IncomingEncryption = EncryptionPolicy.Disabled });
        var dialler = Negotiators.Create(new Negotiators.Directory(Known));

        var accepting = acceptor.AcceptAsync(duplex.Acceptor, Timeout, CancellationToken.None);
        var dialling = dialler.ConnectAsync(duplex.Dialler, Known, encrypted: true, Timeout, CancellationToken.None);

        var refused = await Assert.ThrowsAsync<PeerProtocolException>(() => accepting);
        Assert.Equal(ErrorCode.EncryptionRequired, refused.ErrorCode);
        Assert.Empty(duplex.Acceptor.Sent);
        duplex.Acceptor.Abort();
        var failed = await Assert.ThrowsAsync<PeerProtocolException>(() => dialling);
        Assert.Equal(ErrorCode.EncryptionNotSupported, failed.ErrorCode);
    }

    [Fact]
    public async Task A_peer_that_resets_on_our_key_does_not_speak_MSE()
    {
        var duplex = new MemoryDuplex();
        duplex.Acceptor.Abort();
        var dialler = Negotiators.Create(new Negotiators.Directory(Known));

        var error = await Assert.ThrowsAsync<PeerProtocolException>(() => dialler.ConnectAsync(duplex.Dialler, Known, encrypted: true, Timeout, CancellationToken.None));

        Assert.Equal(ErrorCode.EncryptionNotSupported, error.ErrorCode);
        Assert.IsType<IOException>(error.InnerException);
    }

    [Fact]
    public async Task A_peer_answering_our_key_with_a_plaintext_handshake_does_not_speak_MSE()
    {
        var handshake = new byte[Handshake.Length];
        new Handshake(HandshakeReserved.Create(extensionProtocol: true, fastExtension: true, dht: false), Known, PeerId.Generate()).WriteTo(handshake);
        var dialler = Negotiators.Create(new Negotiators.Directory(Known));

        var error = await Assert.ThrowsAsync<PeerProtocolException>(() => dialler.ConnectAsync(new ScriptedStream(handshake), Known, encrypted: true, Timeout, CancellationToken.None));

        Assert.Equal(ErrorCode.EncryptionNotSupported, error.ErrorCode);
    }

    [Theory]
    [InlineData(EncryptionPolicy.Forced, false)]
    [InlineData(EncryptionPolicy.Disabled, true)]
    public async Task The_outgoing_policy_refuses_what_it_forbids(EncryptionPolicy policy, bool encrypted)
    {
        var dialler = Negotiators.Create(new Negotiators.Directory(Known), settings: new SessionSettings { OutgoingEncryption = policy });

        var error = await Assert.ThrowsAsync<PeerProtocolException>(() => dialler.ConnectAsync(new ScriptedStream([]), Known, encrypted, Timeout, CancellationToken.None));

        Assert.Equal(ErrorCode.EncryptionRequired, error.ErrorCode);
    }

    [Fact]
    public async Task Settings_changed_at_run_time_apply_to_the_next_connection()
    {
        var settings = new SessionSettings();
        var acceptor = new ConnectionNegotiator(PeerId.Generate(), new Negotiators.Directory(Known), TimeProvider.System, () => settings, GodotTorrent.Net.Encryption.RandomBytes.Seeded(1));
        var dialler = Negotiators.Create(new Negotiators.Directory(Known), seed: 2);

        var first = new MemoryDuplex();
        var accepting = acceptor.AcceptAsync(first.Acceptor, Timeout, CancellationToken.None);
        await dialler.ConnectAsync(first.Dialler, Known, encrypted: false, Timeout, CancellationToken.None);
        Assert.Equal(PeerEncryption.None, (await accepting).Encryption);

        settings = new SessionSettings { IncomingEncryption = EncryptionPolicy.Forced };
        var second = new MemoryDuplex();
        var refusing = acceptor.AcceptAsync(second.Acceptor, Timeout, CancellationToken.None);
        _ = dialler.ConnectAsync(second.Dialler, Known, encrypted: false, Timeout, CancellationToken.None);
        Assert.Equal(ErrorCode.EncryptionRequired, (await Assert.ThrowsAsync<PeerProtocolException>(() => refusing)).ErrorCode);
        second.Acceptor.Abort();
    }

    private static async Task<byte[]> ReceiveAsync(GodotTorrent.Net.IPeerConnectionStream stream, int length)
    {
        var buffer = new byte[length];
        for (int filled = 0; filled < length;)
        {
            int read = await stream.ReceiveAsync(buffer.AsMemory(filled, Math.Min(length - filled, 7000)), CancellationToken.None);
            Assert.NotEqual(0, read);
            filled += read;
        }

        return buffer;
    }
}
