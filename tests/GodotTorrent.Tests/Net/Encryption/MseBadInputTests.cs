using System.Buffers.Binary;
using System.Security.Cryptography;
using GodotTorrent.Net.Encryption;
using GodotTorrent.Net.Handshake;
using GodotTorrent.Session;
using GodotTorrent.Wire;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Net.Encryption;

public sealed class MseBadInputTests
{
    private const int ResponderSeed = 21;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly Id20 Known = new(SHA1.HashData("mse known"u8));
    private static readonly Id20 Other = new(SHA1.HashData("mse other"u8));
    private static readonly byte[] PrivateA = Enumerable.Range(1, 20).Select(b => (byte)b).ToArray();

    [Fact]
    public async Task A_hand_built_initiator_with_the_handshake_as_initial_payload_is_accepted()
    {
        var accepted = await AcceptAsync(Craft(Known, initialPayload: BitTorrentHandshake(Known)));

        Assert.Equal(Known, accepted.Handshake.InfoHash);
        Assert.Equal(PeerEncryption.Plaintext, accepted.Encryption);
    }

    [Fact]
    public async Task PadA_of_exactly_512_bytes_is_accepted()
    {
        var accepted = await AcceptAsync(Craft(Known, padA: 512, initialPayload: BitTorrentHandshake(Known)));

        Assert.Equal(Known, accepted.Handshake.InfoHash);
    }

    [Theory]
    [InlineData("wrong VC", "verification constant")]
    [InlineData("unknown SKEY", "unknown SKEY")]
    [InlineData("PadA 513", "within 512")]
    [InlineData("PadA 600", "within 512")]
    [InlineData("PadC 600", "PadC of 600")]
    [InlineData("no common method", "No crypto method")]
    [InlineData("IA 2000", "initial payload")]
    [InlineData("handshake names another torrent", "names")]
    [InlineData("zero key", "degenerate")]
    [InlineData("cut after the key", "closed")]
    [InlineData("cut inside step 3", "closed")]
    public async Task A_bad_initiator_fails_the_MSE_handshake_with_a_reason(string fault, string reason)
    {
        byte[] script = fault switch
        {
            "wrong VC" => Craft(Known, vc: [0, 0, 0, 1, 0, 0, 0, 0]),
            "unknown SKEY" => Craft(new Id20(SHA1.HashData("nobody"u8))),
            "PadA 513" => Craft(Known, padA: 513),
            "PadA 600" => Craft(Known, padA: 600),
            "PadC 600" => Craft(Known, padC: 600),
            "no common method" => Craft(Known, provide: 0x04),
            "IA 2000" => Craft(Known, initialPayload: new byte[2000]),
            "handshake names another torrent" => Craft(Known, initialPayload: BitTorrentHandshake(Other)),
            "zero key" => new byte[96 + 40],
            "cut after the key" => Craft(Known)[..96],
            "cut inside step 3" => Craft(Known)[..(96 + 30)],
            _ => throw new ArgumentOutOfRangeException(nameof(fault)),
        };

        var error = await Assert.ThrowsAsync<PeerProtocolException>(() => AcceptAsync(script));

        Assert.Equal(ErrorCode.EncryptionHandshakeFailed, error.ErrorCode);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_peer_that_stops_mid_handshake_times_out_on_the_virtual_clock_both_ways()
    {
        var time = new FakeTimeProvider();
        var duplex = new MemoryDuplex();
        var acceptor = Negotiators.Create(new Negotiators.Directory(Known), time);
        var accepting = acceptor.AcceptAsync(duplex.Acceptor, Timeout, CancellationToken.None);
        await duplex.Dialler.SendAsync(new MseKeyExchange(PrivateA).PublicKey, CancellationToken.None);

        var stalled = new MemoryDuplex();
        var dialler = Negotiators.Create(new Negotiators.Directory(Known), time);
        var dialling = dialler.ConnectAsync(stalled.Dialler, Known, encrypted: true, Timeout, CancellationToken.None);

        // Wait (in real time, bounded) until the acceptor has answered the key: it is now waiting for step 3.
        for (int spin = 0; spin < 1000 && duplex.Acceptor.Sent.Length == 0; spin++)
        {
            await Task.Delay(5);
        }

        Assert.NotEmpty(duplex.Acceptor.Sent);
        Assert.False(accepting.IsCompleted);
        Assert.False(dialling.IsCompleted);
        time.Advance(Timeout);

        Assert.Equal(ErrorCode.ConnectTimeout, (await Assert.ThrowsAsync<PeerProtocolException>(() => accepting)).ErrorCode);
        Assert.Equal(ErrorCode.ConnectTimeout, (await Assert.ThrowsAsync<PeerProtocolException>(() => dialling)).ErrorCode);
    }

    [Fact]
    public async Task A_peer_sending_its_key_one_byte_a_second_times_out()
    {
        var time = new FakeTimeProvider();
        var duplex = new MemoryDuplex();
        var acceptor = Negotiators.Create(new Negotiators.Directory(Known), time);
        var accepting = acceptor.AcceptAsync(duplex.Acceptor, Timeout, CancellationToken.None);
        var key = new MseKeyExchange(PrivateA).PublicKey;

        for (int n = 0; n < key.Length && !accepting.IsCompleted; n++)
        {
            await duplex.Dialler.SendAsync(key.AsMemory(n, 1), CancellationToken.None);
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Yield();
        }

        Assert.Equal(ErrorCode.ConnectTimeout, (await Assert.ThrowsAsync<PeerProtocolException>(() => accepting)).ErrorCode);
    }

    [Fact]
    public async Task Ten_thousand_mutated_handshakes_end_in_a_protocol_error_or_success_never_anything_else()
    {
        var (initiatorBytes, responderBytes) = await RecordAsync();
        var random = new Random(1234);
        int failures = 0;
        for (int n = 0; n < 10_000; n++)
        {
            bool toResponder = n % 2 == 0;
            var mutated = Mutate(toResponder ? initiatorBytes : responderBytes, random);
            Task<NegotiatedConnection> run = toResponder
                ? Negotiators.Create(new Negotiators.Directory(Known), settings: RecordedResponder, seed: ResponderSeed).AcceptAsync(new ScriptedStream(mutated), Timeout, CancellationToken.None)
                : Negotiators.Create(new Negotiators.Directory(Known), seed: RecordedInitiatorSeed).ConnectAsync(new ScriptedStream(mutated), Known, encrypted: true, Timeout, CancellationToken.None);

            // The script ends in a close, so every run finishes without waiting: a pending task would be a hang.
            Assert.True(run.IsCompleted, $"Mutation {n} left the handshake waiting.");
            if (run.IsFaulted)
            {
                var error = run.Exception!.InnerException;
                Assert.IsType<PeerProtocolException>(error);
                failures++;
            }
        }

        Assert.True(failures > 9_000, $"Only {failures} of 10,000 mutations failed: the mutations are not reaching the handshake.");
        await Task.CompletedTask;
    }

    private const int RecordedInitiatorSeed = 22;

    private static SessionSettings RecordedResponder { get; } = new() { PreferRc4 = true };

    /// <summary>A good exchange between the two roles, as each side's raw bytes on the wire.</summary>
    private static async Task<(byte[] Initiator, byte[] Responder)> RecordAsync()
    {
        var duplex = new MemoryDuplex();
        var acceptor = Negotiators.Create(new Negotiators.Directory(Known), settings: RecordedResponder, seed: ResponderSeed);
        var dialler = Negotiators.Create(new Negotiators.Directory(Known), seed: RecordedInitiatorSeed);
        var accepting = acceptor.AcceptAsync(duplex.Acceptor, Timeout, CancellationToken.None);
        var dialled = await dialler.ConnectAsync(duplex.Dialler, Known, encrypted: true, Timeout, CancellationToken.None);
        Assert.Equal(PeerEncryption.Rc4, (await accepting).Encryption);
        Assert.Equal(PeerEncryption.Rc4, dialled.Encryption);

        // Replayed unchanged, each transcript completes the handshake: the baseline the mutations break.
        Assert.Equal(Known, (await Negotiators.Create(new Negotiators.Directory(Known), settings: RecordedResponder, seed: ResponderSeed).AcceptAsync(new ScriptedStream(duplex.Dialler.Sent), Timeout, CancellationToken.None)).Handshake.InfoHash);
        Assert.Equal(Known, (await Negotiators.Create(new Negotiators.Directory(Known), seed: RecordedInitiatorSeed).ConnectAsync(new ScriptedStream(duplex.Acceptor.Sent), Known, encrypted: true, Timeout, CancellationToken.None)).Handshake.InfoHash);
        return (duplex.Dialler.Sent, duplex.Acceptor.Sent);
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        int edits = random.Next(1, 4);
        for (int e = 0; e < edits; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    bytes[at] ^= (byte)random.Next(1, 256);
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    var insert = new byte[random.Next(1, 700)];
                    random.NextBytes(insert);
                    bytes.InsertRange(at, insert);
                    break;
                default:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 64), bytes.Count - at));
                    break;
            }

            if (bytes.Count == 0)
            {
                break;
            }
        }

        return [.. bytes];
    }

    private static Task<NegotiatedConnection> AcceptAsync(byte[] script) =>
        Negotiators.Create(new Negotiators.Directory(Known, Other), seed: ResponderSeed).AcceptAsync(new ScriptedStream(script), Timeout, CancellationToken.None);

    /// <summary>
    /// Side A written out by hand from the spec (not through MseHandshake), against the responder
    /// whose random source is seeded with <see cref="ResponderSeed"/>: its key is known in advance.
    /// </summary>
    private static byte[] Craft(Id20 skey, int padA = 0, byte[]? vc = null, uint provide = 0x03, int padC = 0, byte[]? initialPayload = null)
    {
        var a = new MseKeyExchange(PrivateA);
        var secret = a.SharedSecret(new MseKeyExchange(RandomBytes.Seeded(ResponderSeed)).PublicKey);
        var message = new MemoryStream();
        message.Write(a.PublicKey);
        message.Write(new byte[padA]);
        message.Write(MseHashes.Req1(secret));
        message.Write(MseHashes.Req2(skey).ToArray().Zip(MseHashes.Req3(secret), (x, y) => (byte)(x ^ y)).ToArray());
        initialPayload ??= [];
        var plain = new byte[8 + 4 + 2 + padC + 2 + initialPayload.Length];
        (vc ?? new byte[8]).CopyTo(plain, 0);
        BinaryPrimitives.WriteUInt32BigEndian(plain.AsSpan(8), provide);
        BinaryPrimitives.WriteUInt16BigEndian(plain.AsSpan(12), (ushort)padC);
        BinaryPrimitives.WriteUInt16BigEndian(plain.AsSpan(14 + padC), (ushort)initialPayload.Length);
        initialPayload.CopyTo(plain, 16 + padC);
        Rc4.ForMse(MseHashes.KeyA(secret, skey)).Process(plain);
        message.Write(plain);
        return message.ToArray();
    }

    private static byte[] BitTorrentHandshake(Id20 infoHash)
    {
        var bytes = new byte[Handshake.Length];
        new Handshake(ConnectionNegotiator.OurReserved, infoHash, PeerId.Generate()).WriteTo(bytes);
        return bytes;
    }
}
