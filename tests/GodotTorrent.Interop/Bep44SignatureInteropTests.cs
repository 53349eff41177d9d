using System.Text;
using System.Text.Json;
using GodotTorrent.Dht.Items;
using GodotTorrent.Interop.Harness;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Interop;

/// <summary>
/// BEP 44 signatures against other implementations, without a DHT between them:
/// libtorrent 2.0 signs through <c>dht_put_mutable_item</c> on a loopback session with no DHT
/// node to reach (the put finds none and reports its signature), and python's cryptography
/// (OpenSSL) signs and verifies over a signed buffer it builds itself (tools/ed25519_tool.py).
/// </summary>
public sealed class Bep44SignatureInteropTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string Script => Path.Combine(AppContext.BaseDirectory, "tools", "ed25519_tool.py");

    [Theory]
    [InlineData("")]
    [InlineData("6368616e6e656c2d31")]
    public async Task Libtorrent_signs_what_we_verify_and_we_sign_the_same_bytes(string saltHex)
    {
        byte[] seed = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
        const string Text = "game build 1.2.3";
        byte[] value = Encoding.ASCII.GetBytes($"{Text.Length}:{Text}");
        byte[] salt = Convert.FromHexString(saltHex);

        using var lt = await RunAsync("lt-sign", "--seed", Hex(seed), "--salt", saltHex, "--text", Text);
        var keys = DhtKeyPair.FromSeed(seed);
        long seq = lt.RootElement.GetProperty("seq").GetInt64();
        byte[] ltSignature = Convert.FromHexString(lt.RootElement.GetProperty("signature").GetString()!);

        Assert.Equal(0, lt.RootElement.GetProperty("nodes").GetInt32());
        Assert.Equal(keys.PublicKeyHex, lt.RootElement.GetProperty("public_key").GetString());
        Assert.Equal(saltHex, lt.RootElement.GetProperty("salt").GetString());
        Assert.True(new DhtMutableItem(keys.PublicKey, salt, seq, value, ltSignature).Verify());
        Assert.Equal(Hex(ltSignature), Hex(DhtMutableItem.Sign(keys, salt, seq, value).Signature));
        Assert.Equal(Hex(ltSignature), Hex(DhtMutableItem.SignExpanded(keys.ExpandedSecret(), salt, seq, value).Signature));
        Assert.False(new DhtMutableItem(keys.PublicKey, salt, seq + 1, value, ltSignature).Verify());
    }

    [Fact]
    public async Task OpenSsl_verifies_what_we_sign_and_we_verify_what_it_signs()
    {
        var random = new Random(44);
        for (int round = 0; round < 4; round++)
        {
            byte[] seed = new byte[32];
            random.NextBytes(seed);
            byte[] salt = new byte[random.Next(0, 65)];
            random.NextBytes(salt);
            byte[] infoHash = new byte[20];
            random.NextBytes(infoHash);
            byte[] value = MutableTorrentValue.Encode(new InfoHash(infoHash));
            long seq = random.NextInt64(0, long.MaxValue);
            var keys = DhtKeyPair.FromSeed(seed);
            var ours = DhtMutableItem.Sign(keys, salt, seq, value);

            using var theirs = await RunAsync("sign", "--seed", Hex(seed), "--salt", Hex(salt), "--seq", seq.ToString(System.Globalization.CultureInfo.InvariantCulture), "--value", Hex(value));
            using var verdict = await RunAsync("verify", "--public", keys.PublicKeyHex, "--salt", Hex(salt), "--seq", seq.ToString(System.Globalization.CultureInfo.InvariantCulture), "--value", Hex(value), "--signature", Hex(ours.Signature));
            byte[] forged = ours.Signature.ToArray();
            forged[round] ^= 0x20;
            using var refusal = await RunAsync("verify", "--public", keys.PublicKeyHex, "--salt", Hex(salt), "--seq", seq.ToString(System.Globalization.CultureInfo.InvariantCulture), "--value", Hex(value), "--signature", Hex(forged));

            Assert.True(verdict.RootElement.GetProperty("valid").GetBoolean(), $"round {round}: OpenSSL refused our signature");
            Assert.False(refusal.RootElement.GetProperty("valid").GetBoolean());
            Assert.Equal(keys.PublicKeyHex, theirs.RootElement.GetProperty("public_key").GetString());
            byte[] theirSignature = Convert.FromHexString(theirs.RootElement.GetProperty("signature").GetString()!);
            Assert.True(new DhtMutableItem(keys.PublicKey, salt, seq, value, theirSignature).Verify());
            Assert.Equal(Hex(ours.Signature), Hex(theirSignature));
            Assert.Equal(ours.Target.ToString(), theirs.RootElement.GetProperty("target").GetString());
            Assert.Equal(Hex(keys.ExpandedSecret()), theirs.RootElement.GetProperty("expanded_secret").GetString());
        }
    }

    private static async Task<JsonDocument> RunAsync(params string[] args)
    {
        var result = await ToolProcess.RunAsync(Libtorrent.Python, [Script, .. args], Timeout);
        return JsonDocument.Parse(result.StandardOutput);
    }

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
