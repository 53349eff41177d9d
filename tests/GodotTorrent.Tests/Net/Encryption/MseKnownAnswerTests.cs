using GodotTorrent.Net.Encryption;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Net.Encryption;

/// <summary>
/// Values recorded from an independent implementation: Python 3's pow() and hashlib with a
/// ten-line RC4, for private keys 0x0102..14 (A) and 0x2122..34 (B) and SKEY 0x4041..53:
///   P = int(MSE_PRIME_HEX, 16); ya = pow(2, xa, P); s = pow(pow(2, xb, P), xa, P).to_bytes(96, "big")
///   hashlib.sha1(b"req1" + s), sha1(b"req2" + skey) xor sha1(b"req3" + s), sha1(b"keyA" + s + skey), ...
///   RC4 keystream after dropping 1,024 bytes.
/// Ya also equals the value an unrelated Rust MSE implementation asserts for the same key.
/// </summary>
public sealed class MseKnownAnswerTests
{
    private static readonly byte[] PrivateA = Enumerable.Range(0x01, 20).Select(b => (byte)b).ToArray();
    private static readonly byte[] PrivateB = Enumerable.Range(0x21, 20).Select(b => (byte)b).ToArray();
    private static readonly Id20 Skey = new(Enumerable.Range(0x40, 20).Select(b => (byte)b).ToArray());

    private const string Ya = "96e112dab29e8c5272accb9b17b26887ce54a144a4e3b697c7d159b7a817e556b0918db2b4c658e02a87f7e5fb14b18a553e084cbf3dad2d30f16596ccb982d406258c61b30c5c1dae2ddc60bdbd48d79896312aad63238c39e1a633821eb693";
    private const string Yb = "8f9c9f400fe9b3258f3e48598a95c7805cc90c995cd770283322679d132ebdae09b75eeadc01de698ef86945cf38314a95fad08c2ad5641802bd5f658eb3ea0db2712c04aa5efed03deecc5104f75d869d2d197e4336c61f0d71d763bee99416";
    private const string S = "cd8536d5f2c98f01f8f5a648f69f6f2d6a6aafd044666b01fc8beb81f63ddbea0a862b2b6306431f7a308b063f795d181ca711b22ab0602a9c4b5d1c53269837773ff53a4de47d9aace6b6a1b789ea37077507842742eb7581ea180b16748826";

    [Fact]
    public void The_prime_is_the_one_every_MSE_client_uses_not_the_Oakley_group_1_prime()
    {
        var prime = Convert.ToHexString(MseKeyExchange.PrimeBytes);

        // libtorrent, Transmission and aria2 carry these bytes; Python's Miller-Rabin (32 bases) says P and (P-1)/2 are prime.
        Assert.Equal(
            "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
            "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090563", prime);
        Assert.False(prime.EndsWith("A63A3620FFFFFFFFFFFFFFFF", StringComparison.Ordinal));
    }

    [Fact]
    public void Public_keys_and_the_shared_secret_match_Python()
    {
        var a = new MseKeyExchange(PrivateA);
        var b = new MseKeyExchange(PrivateB);

        Assert.Equal(Ya, Hex(a.PublicKey));
        Assert.Equal(Yb, Hex(b.PublicKey));
        Assert.Equal(S, Hex(a.SharedSecret(b.PublicKey)));
        Assert.Equal(S, Hex(b.SharedSecret(a.PublicKey)));
    }

    [Fact]
    public void Keys_are_left_padded_to_96_bytes()
    {
        // A private key of 2 gives Y = 4: one significant byte.
        var small = new MseKeyExchange([2]);

        Assert.Equal(96, small.PublicKey.Length);
        Assert.Equal(4, small.PublicKey[^1]);
        Assert.All(small.PublicKey[..^1], b => Assert.Equal(0, b));
    }

    [Fact]
    public void Hashes_and_RC4_keys_match_Python()
    {
        var s = Convert.FromHexString(S);
        var req2 = MseHashes.Req2(Skey).ToArray();
        var req3 = MseHashes.Req3(s);
        var obfuscated = req2.Zip(req3, (x, y) => (byte)(x ^ y)).ToArray();

        Assert.Equal("361e3668027ecec9d1086d5f839d191781e8de17", Hex(MseHashes.Req1(s)));
        Assert.Equal("41211f37ae932232dbdb147991836a6ff8dcaf4e", Hex(req2));
        Assert.Equal("7717e36d6c3a9fe24c5e6bf293c35a6b79a1e933", Hex(obfuscated));
        Assert.Equal("3f051207ecd6cf54977332ea4a93b2bdbb41d7c2", Hex(MseHashes.KeyA(s, Skey)));
        Assert.Equal("e627a6a62dc63b23398a4ed8dd19663e435401c0", Hex(MseHashes.KeyB(s, Skey)));

        var streamA = new byte[16];
        Rc4.ForMse(MseHashes.KeyA(s, Skey)).Process(streamA);
        var streamB = new byte[16];
        Rc4.ForMse(MseHashes.KeyB(s, Skey)).Process(streamB);
        Assert.Equal("6c023c32d659d2c5418c2fd0c448319a", Hex(streamA));
        Assert.Equal("5daa59e8c9ddf0135899a32e0beafe30", Hex(streamB));
    }

    [Theory]
    [InlineData("00")]
    [InlineData("01")]
    [InlineData("P-1")]
    [InlineData("P")]
    [InlineData("FF")]
    public void A_degenerate_peer_key_is_refused(string which)
    {
        var prime = new System.Numerics.BigInteger(MseKeyExchange.PrimeBytes, isUnsigned: true, isBigEndian: true);
        var key = new byte[96];
        switch (which)
        {
            case "P-1":
                (prime - 1).TryWriteBytes(key, out _, isUnsigned: true, isBigEndian: true);
                break;
            case "P":
                prime.TryWriteBytes(key, out _, isUnsigned: true, isBigEndian: true);
                break;
            case "FF":
                key.AsSpan().Fill(0xFF);
                break;
            default:
                key[^1] = Convert.FromHexString(which)[0];
                break;
        }

        var error = Assert.Throws<PeerProtocolException>(() => new MseKeyExchange(PrivateA).SharedSecret(key));
        Assert.Equal(ErrorCode.EncryptionHandshakeFailed, error.ErrorCode);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
