using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;
using GodotTorrent.Net;
using GodotTorrent.Net.Encryption;
using GodotTorrent.Net.Handshake;
using GodotTorrent.Session;
using GodotTorrent.Wire;
using Xunit.Abstractions;

namespace GodotTorrent.Interop;

/// <summary>
/// The MSE/PE protocol core against libtorrent 2.0, at the negotiator (below the session): our
/// initiator against its responder at each level, its initiator (with the BitTorrent handshake as
/// initial payload) against our responder, and a plaintext-only libtorrent refusing our key. After
/// the handshake the first wire message libtorrent sends must decode, proving the stream state.
/// </summary>
public sealed class MseNegotiatorInteropTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly IReadOnlyList<TestFile> Layout = [new("a.bin", 256 * 1024)];

    private readonly TestData _data = TestData.Create();

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData("forced-rc4", PeerEncryption.Rc4)]
    [InlineData("forced-plaintext", PeerEncryption.Plaintext)]
    public async Task We_dial_libtorrent_with_MSE_and_read_its_first_message(string policy, PeerEncryption expected)
    {
        var (path, wireHash) = await CreateAsync();
        using var lt = await LibtorrentPeer.StartSeedAsync(path, _data.PathOf("seed"), lifetime: TimeSpan.FromSeconds(60), encryption: LtEncryption.Named(policy));
        var negotiator = Negotiator(wireHash);

        // libtorrent 2.0.8 hashes the DH secret unpadded for the req3 mask (fixed upstream in
        // arvidn/libtorrent#8434), so about 1 handshake in 256, whose secret starts with a zero byte,
        // fails on its side however right ours is: one more try with fresh keys, never more.
        IPeerConnectionStream? stream = null;
        NegotiatedConnection? connection = null;
        var clock = Stopwatch.StartNew();
        for (int attempt = 1; connection is null; attempt++)
        {
            stream = await TcpTransport.Instance.ConnectAsync(lt.EndPoint, CancellationToken.None);
            clock.Restart();
            try
            {
                connection = await negotiator.ConnectAsync(stream, wireHash, encrypted: true, Timeout, CancellationToken.None);
            }
            catch (PeerProtocolException e) when (attempt == 1 && e.Message.Contains("closed the connection during the MSE handshake", StringComparison.Ordinal))
            {
                output.WriteLine($"first try refused by libtorrent ({e.Message}); trying once more");
                await stream.DisposeAsync();
            }
        }

        await using var open = stream!;
        output.WriteLine($"MSE handshake with libtorrent ({policy}) took {clock.Elapsed.TotalMilliseconds:0.0} ms");

        Assert.Equal(expected, connection.Encryption);
        Assert.Equal(wireHash, connection.Handshake.InfoHash);
        await AssertFirstMessageDecodesAsync(connection.Stream);
    }

    [Fact]
    public async Task Libtorrent_with_encryption_disabled_does_not_speak_MSE()
    {
        var (path, wireHash) = await CreateAsync();
        using var lt = await LibtorrentPeer.StartSeedAsync(path, _data.PathOf("seed"), lifetime: TimeSpan.FromSeconds(60), encryption: LtEncryption.Disabled);

        await using var stream = await TcpTransport.Instance.ConnectAsync(lt.EndPoint, CancellationToken.None);
        var error = await Assert.ThrowsAsync<PeerProtocolException>(() => Negotiator(wireHash).ConnectAsync(stream, wireHash, encrypted: true, Timeout, CancellationToken.None));

        output.WriteLine(error.Message);
        Assert.Equal(ErrorCode.EncryptionNotSupported, error.ErrorCode);
    }

    [Fact]
    public async Task Libtorrent_dials_us_with_MSE_and_we_answer_at_RC4()
    {
        var (path, wireHash) = await CreateAsync();
        await using var listener = TcpTransport.Instance.Listen(new IPEndPoint(IPAddress.Loopback, 0));
        using var lt = await LibtorrentPeer.StartSeedAsync(path, _data.PathOf("seed"), [listener.LocalEndPoint], lifetime: TimeSpan.FromSeconds(60), encryption: LtEncryption.ForcedRc4);

        using var accept = new CancellationTokenSource(Timeout);
        await using var stream = await listener.AcceptAsync(accept.Token);
        var connection = await Negotiator(wireHash).AcceptAsync(stream, Timeout, CancellationToken.None);

        Assert.Equal(PeerEncryption.Rc4, connection.Encryption);
        Assert.Equal(wireHash, connection.Handshake.InfoHash);
        await AssertFirstMessageDecodesAsync(connection.Stream);
    }

    private static ConnectionNegotiator Negotiator(Id20 wireHash)
    {
        var settings = new SessionSettings { PreferRc4 = true };
        return new ConnectionNegotiator(PeerId.Generate(), new Directory(wireHash), TimeProvider.System, () => settings, RandomBytes.Secure);
    }

    /// <summary>libtorrent's first message after the handshake is a bitfield, have-all or extension handshake (BEP 3, 6, 10).</summary>
    private static async Task AssertFirstMessageDecodesAsync(IPeerConnectionStream stream)
    {
        using var read = new CancellationTokenSource(Timeout);
        var header = new byte[5];
        for (int filled = 0; filled < header.Length;)
        {
            int count = await stream.ReceiveAsync(header.AsMemory(filled), read.Token);
            Assert.NotEqual(0, count);
            filled += count;
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(header);
        Assert.InRange(length, 1u, 64u * 1024);
        Assert.Contains(header[4], new byte[] { 5, 14, 20 });
    }

    private async Task<(string Path, Id20 WireHash)> CreateAsync()
    {
        var folder = _data.CreateFolder("seed/content", 9, Layout);
        var path = _data.PathOf("m.torrent");
        await TorrentCreator.CreateFileAsync(folder, path, new TorrentCreatorOptions { Version = TorrentVersion.V1, PieceLength = 64 * 1024 });
        return (path, TorrentSession.WireHashes(TorrentInfo.Load(path).InfoHashes).First());
    }

    private sealed class Directory(Id20 known) : ITorrentDirectory
    {
        public bool AcceptsPeers(Id20 wireHash) => wireHash == known;

        public IEnumerable<Id20> WireHashes() => [known];
    }
}
