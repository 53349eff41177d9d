using System.Text;
using GodotTorrent.Bencoding;
using GodotTorrent.Dht.Items;
using GodotTorrent.Wire;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Dht.Items;

/// <summary>get and put arguments and get replies through a whole KRPC packet, as the node will send and read them.</summary>
public class DhtItemArgumentsTests
{
    private static readonly DhtKeyPair Keys = DhtKeyPair.FromSeed(Enumerable.Repeat((byte)3, 32).ToArray());
    private static readonly byte[] Token = [9, 8, 7, 6];

    [Fact]
    public void A_mutable_put_round_trips_and_keeps_the_signed_bytes()
    {
        byte[] salt = Encoding.ASCII.GetBytes("s");
        var item = DhtMutableItem.Sign(Keys, salt, 42, Encoding.ASCII.GetBytes("d2:ih20:aaaaaaaaaaaaaaaaaaaae"));

        var (a, packet) = RoundTrip("put", DhtPutArguments.ForMutable(Token, item, cas: 41).WriteTo);

        Assert.Equal(DhtItemError.None, DhtPutArguments.TryParse(a, packet, out var put, out _));
        Assert.NotNull(put?.Mutable);
        Assert.Equal(Token, put.Token.ToArray());
        Assert.Equal(41, put.Cas);
        Assert.Equal(item.Value.ToArray(), put.Mutable.Value.ToArray());
        Assert.Equal(salt, put.Mutable.Salt.ToArray());
        Assert.Equal(42, put.Mutable.Sequence);
        Assert.True(put.Mutable.Verify());
    }

    [Fact]
    public void An_immutable_put_has_no_key_fields()
    {
        var (a, packet) = RoundTrip("put", DhtPutArguments.ForImmutable(Token, Encoding.ASCII.GetBytes("i5e")).WriteTo);

        Assert.False(a.ContainsKey("k"));
        Assert.Equal(DhtItemError.None, DhtPutArguments.TryParse(a, packet, out var put, out _));
        Assert.Null(put!.Mutable);
        Assert.Equal("i5e", Encoding.ASCII.GetString(put.Value));
    }

    [Fact]
    public void A_value_signed_with_unsorted_keys_verifies_from_the_packet_bytes()
    {
        // Re-encoding would sort the keys and break the signature: the bytes as sent must be kept.
        byte[] unsorted = Encoding.ASCII.GetBytes("d1:bi1e1:ai2ee");
        var item = DhtMutableItem.Sign(Keys, [], 1, unsorted);
        byte[] packet = Encoding.ASCII.GetBytes("d1:ad1:k32:")
            .Concat(item.PublicKey.ToArray()).Concat(Encoding.ASCII.GetBytes("3:seqi1e3:sig64:"))
            .Concat(item.Signature.ToArray()).Concat(Encoding.ASCII.GetBytes("5:token4:abcd1:v"))
            .Concat(unsorted).Concat(Encoding.ASCII.GetBytes("ee")).ToArray();

        var a = ((BDictionary)BencodeReader.Decode(packet)).Get<BDictionary>("a")!;
        Assert.Equal(DhtItemError.None, DhtPutArguments.TryParse(a, packet, out var put, out _));
        Assert.Equal(unsorted, put!.Value.ToArray());
        Assert.True(put.Mutable!.Verify());
    }

    [Theory]
    [InlineData("no token", (int)DhtItemError.ProtocolError)]
    [InlineData("no value", (int)DhtItemError.ProtocolError)]
    [InlineData("big value", (int)DhtItemError.MessageTooBig)]
    [InlineData("big salt", (int)DhtItemError.SaltTooBig)]
    [InlineData("short key", (int)DhtItemError.ProtocolError)]
    [InlineData("long sig", (int)DhtItemError.ProtocolError)]
    [InlineData("no seq", (int)DhtItemError.ProtocolError)]
    [InlineData("seq not int", (int)DhtItemError.ProtocolError)]
    [InlineData("long token", (int)DhtItemError.ProtocolError)]
    public void Malformed_puts_get_their_error_code(string fault, int expected)
    {
        var a = new BDictionary();
        a.Set("token", new BString(Token));
        a.Set("v", new BString("hello"));
        a.Set("k", new BString(new byte[32]));
        a.Set("seq", new BInteger(1));
        a.Set("sig", new BString(new byte[64]));
        switch (fault)
        {
            case "no token": a.Remove("token"); break;
            case "no value": a.Remove("v"); break;
            case "big value": a.Set("v", new BString(new byte[997])); break;
            case "big salt": a.Set("salt", new BString(new byte[65])); break;
            case "short key": a.Set("k", new BString(new byte[31])); break;
            case "long sig": a.Set("sig", new BString(new byte[65])); break;
            case "no seq": a.Remove("seq"); break;
            case "seq not int": a.Set("seq", new BString("1")); break;
            default: a.Set("token", new BString(new byte[65])); break;
        }

        byte[] packet = BencodeWriter.Encode(a);
        var decoded = (BDictionary)BencodeReader.Decode(packet);

        Assert.Equal((DhtItemError)expected, DhtPutArguments.TryParse(decoded, packet, out var put, out string message));
        Assert.Null(put);
        Assert.NotEmpty(message);
    }

    [Fact]
    public void Get_arguments_round_trip_and_refuse_a_short_target()
    {
        var target = new Id20(Enumerable.Range(0, 20).Select(i => (byte)i).ToArray());
        var (a, _) = RoundTrip("get", new DhtGetArguments(target, 17).WriteTo);

        Assert.True(DhtGetArguments.TryParse(a, out var get));
        Assert.Equal(target, get.Target);
        Assert.Equal(17, get.Sequence);

        a.Set("target", new BString(new byte[19]));
        Assert.False(DhtGetArguments.TryParse(a, out _));
        a.Remove("target");
        Assert.False(DhtGetArguments.TryParse(a, out _));
    }

    [Fact]
    public void A_get_reply_yields_the_item_only_for_its_own_target_and_salt()
    {
        byte[] salt = Encoding.ASCII.GetBytes("v2");
        var item = DhtMutableItem.Sign(Keys, salt, 2, Encoding.ASCII.GetBytes("4:data"));
        var (r, packet) = RoundTrip("r", DhtGetReply.ForMutable(item).WithToken(Token).WriteTo);

        Assert.True(DhtGetReply.TryParse(r, packet, out var reply));
        Assert.Equal(Token, reply.Token.ToArray());
        Assert.True(reply.TryGetMutable(item.Target, salt, out var read));
        Assert.Equal(2, read.Sequence);
        Assert.False(reply.TryGetMutable(item.Target, Encoding.ASCII.GetBytes("v3"), out _));
        Assert.False(reply.TryGetMutable(DhtItemFormat.MutableTarget(Keys.PublicKey, []), [], out _));
    }

    [Fact]
    public void A_get_reply_with_a_forged_value_or_a_wrong_size_field_is_refused()
    {
        var item = DhtMutableItem.Sign(Keys, [], 2, Encoding.ASCII.GetBytes("4:data"));
        var forged = new DhtGetReply(Encoding.ASCII.GetBytes("4:evil"), item.PublicKey.ToArray(), 2, item.Signature.ToArray());
        Assert.False(forged.TryGetMutable(item.Target, [], out _));

        var r = new BDictionary();
        r.Set("k", new BString(new byte[33]));
        Assert.False(DhtGetReply.TryParse(r, BencodeWriter.Encode(r), out _));
        r = new BDictionary();
        r.Set("v", new BString(new byte[997]));
        Assert.False(DhtGetReply.TryParse(r, BencodeWriter.Encode(r), out _));
    }

    [Fact]
    public void An_immutable_reply_is_checked_against_its_hash()
    {
        byte[] value = Encoding.ASCII.GetBytes("12:Hello World!");
        var (r, packet) = RoundTrip("r", new DhtGetReply(value, null, null, null).WriteTo);

        Assert.True(DhtGetReply.TryParse(r, packet, out var reply));
        Assert.True(reply.TryGetImmutable(DhtItemFormat.ImmutableTarget(value), out byte[]? read));
        Assert.Equal(value, read);
        Assert.False(reply.TryGetImmutable(DhtItemFormat.ImmutableTarget(Encoding.ASCII.GetBytes("1:x")), out _));
    }

    [Fact]
    public void A_put_read_from_a_packet_is_stored_and_a_get_reply_from_the_store_verifies_at_the_asker()
    {
        var store = new DhtItemStore(new FakeTimeProvider());
        byte[] salt = Encoding.ASCII.GetBytes("release");
        var item = DhtMutableItem.Sign(Keys, salt, 3, MutableTorrentValue.Encode(GodotTorrent.Metainfo.InfoHash.FromHex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a")));
        var (putArgs, putPacket) = RoundTrip("put", DhtPutArguments.ForMutable(Token, item).WriteTo);
        Assert.Equal(DhtItemError.None, DhtPutArguments.TryParse(putArgs, putPacket, out var put, out _));
        Assert.True(store.Put(put!).Stored);

        var (getArgs, _) = RoundTrip("get", new DhtGetArguments(item.Target).WriteTo);
        Assert.True(DhtGetArguments.TryParse(getArgs, out var get));
        var (r, replyPacket) = RoundTrip("r", store.Get(get.Target, get.Sequence)!.WithToken(Token).WriteTo);

        Assert.True(DhtGetReply.TryParse(r, replyPacket, out var reply));
        Assert.True(reply.TryGetMutable(item.Target, salt, out var read));
        Assert.True(MutableTorrentValue.TryRead(read.Value, out var infoHash));
        Assert.Equal("c12fe1c06bba254a9dc9f519b335aa7c1367a88a", infoHash.ToHex());
    }

    // Builds {"a" or "r": <dict>, "t": "aa", "y": ...}, encodes it, decodes it, and returns the inner dictionary and the packet.
    private static (BDictionary Inner, byte[] Packet) RoundTrip(string kind, Action<BDictionary> write)
    {
        var inner = new BDictionary();
        inner.Set("id", new BString(new byte[20]));
        write(inner);
        var message = new BDictionary();
        string key = kind == "r" ? "r" : "a";
        message.Set(key, inner);
        if (kind != "r")
        {
            message.Set("q", new BString(kind));
        }

        message.Set("t", new BString("aa"));
        message.Set("y", new BString(kind == "r" ? "r" : "q"));
        byte[] packet = BencodeWriter.Encode(message);
        var decoded = (BDictionary)BencodeReader.Decode(packet);
        return (decoded.Get<BDictionary>(key)!, packet);
    }
}
