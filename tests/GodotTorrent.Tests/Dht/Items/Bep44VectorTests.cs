using System.Text;
using GodotTorrent.Dht.Items;

namespace GodotTorrent.Tests.Dht.Items;

/// <summary>BEP 44's and BEP 46's own test vectors, byte for byte, and RFC 8032's first one for the seed form.</summary>
public class Bep44VectorTests
{
    // BEP 44 gives the private key only in the 64-byte expanded form (clamped SHA-512 of a seed it does not give).
    private const string ExpandedSecretHex =
        "e06d3183d14159228433ed599221b80bd0a5ce8352e4bdf0262f76786ef1c74d" +
        "b7e7a9fea2c0eb269d61e3b38e450a22e754941ac78479d6c54e1faf6037881d";

    private const string PublicKeyHex = "77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548";

    private static readonly byte[] HelloWorld = Encoding.ASCII.GetBytes("12:Hello World!");

    [Fact]
    public void Test_1_mutable_without_salt()
    {
        byte[] secret = Convert.FromHexString(ExpandedSecretHex);

        Assert.Equal("3:seqi1e1:v12:Hello World!", Encoding.ASCII.GetString(DhtItemFormat.SignedBuffer([], 1, HelloWorld)));
        Assert.Equal(PublicKeyHex, Hex(Ed25519.PublicKeyFromExpanded(secret)));
        var item = DhtMutableItem.SignExpanded(secret, [], 1, HelloWorld);
        Assert.Equal(
            "305ac8aeb6c9c151fa120f120ea2cfb923564e11552d06a5d856091e5e853cff" +
            "1260d3f39e4999684aa92eb73ffd136e6f4f3ecbfda0ce53a1608ecd7ae21f01",
            Hex(item.Signature));
        Assert.Equal("4a533d47ec9c7d95b1ad75f576cffc641853b750", item.Target.ToString());
        Assert.True(item.Verify());
    }

    [Fact]
    public void Test_2_mutable_with_salt()
    {
        byte[] salt = Encoding.ASCII.GetBytes("foobar");

        Assert.Equal("4:salt6:foobar3:seqi1e1:v12:Hello World!", Encoding.ASCII.GetString(DhtItemFormat.SignedBuffer(salt, 1, HelloWorld)));
        var item = DhtMutableItem.SignExpanded(Convert.FromHexString(ExpandedSecretHex), salt, 1, HelloWorld);
        Assert.Equal(
            "6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17d" +
            "df9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f14951a87d9a08",
            Hex(item.Signature));
        Assert.Equal("411eba73b6f087ca51a3795d9c8c938d365e32c1", item.Target.ToString());
        Assert.True(item.Verify());
    }

    [Fact]
    public void Test_3_immutable_target()
    {
        Assert.Equal("e5f96f6f38320f0f33959cb4d3d656452117aadb", DhtItemFormat.ImmutableTarget(HelloWorld).ToString());
    }

    [Theory]
    [InlineData("", "cc3f9d90b572172053626f9980ce261a850d050b")]
    [InlineData("6e", "59ee7c2cb9b4f7eb1986ee2d18fd2fdb8a56554f")]
    public void Bep46_magnet_key_and_salt_to_target(string saltHex, string target)
    {
        byte[] key = Convert.FromHexString("8543d3e6115f0f98c944077a4493dcd543e49c739fd998550a1f614ab36ed63e");
        Assert.Equal(target, DhtItemFormat.MutableTarget(key, Convert.FromHexString(saltHex)).ToString());
    }

    [Fact]
    public void Rfc8032_test_1_from_the_seed()
    {
        var keys = DhtKeyPair.FromSeed(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));

        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", keys.PublicKeyHex);
        Assert.Equal(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            Hex(keys.Sign([])));
    }

    [Fact]
    public void The_expanded_secret_of_a_seed_signs_as_the_seed_does()
    {
        var keys = DhtKeyPair.FromSeed(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        byte[] salt = Encoding.ASCII.GetBytes("channel");

        var fromSeed = DhtMutableItem.Sign(keys, salt, 7, HelloWorld);
        var fromExpanded = DhtMutableItem.SignExpanded(keys.ExpandedSecret(), salt, 7, HelloWorld);

        Assert.Equal(Hex(fromSeed.Signature), Hex(fromExpanded.Signature));
        Assert.Equal(keys.PublicKeyHex, Hex(fromExpanded.PublicKey));
        byte[] expanded = keys.ExpandedSecret();
        Assert.Equal(0, expanded[0] & 7);
        Assert.Equal(64, expanded[31] & 0xC0);
    }

    [Theory]
    [InlineData("v")]
    [InlineData("seq")]
    [InlineData("salt")]
    [InlineData("k")]
    [InlineData("sig")]
    public void A_flipped_bit_anywhere_fails_verification(string field)
    {
        byte[] salt = Encoding.ASCII.GetBytes("foobar");
        var good = DhtMutableItem.SignExpanded(Convert.FromHexString(ExpandedSecretHex), salt, 1, HelloWorld);
        byte[] key = good.PublicKey.ToArray(), value = good.Value.ToArray(), signature = good.Signature.ToArray();
        long sequence = good.Sequence;
        switch (field)
        {
            case "v": value[^1] ^= 1; break;
            case "seq": sequence ^= 2; break;
            case "salt": salt[0] ^= 1; break;
            case "k": key[5] ^= 0x10; break;
            default: signature[40] ^= 4; break;
        }

        Assert.True(good.Verify());
        Assert.False(new DhtMutableItem(key, salt, sequence, value, signature).Verify());
    }

    [Fact]
    public void Verify_refuses_keys_and_signatures_of_the_wrong_size_without_throwing()
    {
        Assert.False(Ed25519.Verify(new byte[31], [1], new byte[64]));
        Assert.False(Ed25519.Verify(new byte[32], [1], new byte[63]));
        Assert.False(Ed25519.Verify(Enumerable.Repeat((byte)0xFF, 32).ToArray(), [1], new byte[64]));
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
