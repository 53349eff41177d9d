using System.Text;
using GodotTorrent.Dht.Items;
using GodotTorrent.Wire;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Dht.Items;

public class DhtItemStoreTests
{
    private static readonly DhtKeyPair Keys = DhtKeyPair.FromSeed(Enumerable.Repeat((byte)7, 32).ToArray());
    private static readonly byte[] Salt = Encoding.ASCII.GetBytes("game-updates");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Stores_and_answers_an_immutable_item_under_its_hash()
    {
        var store = new DhtItemStore(_clock);
        byte[] value = Encoding.ASCII.GetBytes("12:Hello World!");

        var outcome = store.PutImmutable(value);

        Assert.True(outcome.Stored);
        Assert.Equal("e5f96f6f38320f0f33959cb4d3d656452117aadb", outcome.Target.ToString());
        var reply = store.Get(outcome.Target);
        Assert.NotNull(reply);
        Assert.Equal(value, reply.Value.ToArray());
        Assert.True(reply.PublicKey.IsEmpty);
        Assert.Null(reply.Sequence);
    }

    [Fact]
    public void Refuses_a_value_over_1000_bytes_with_205()
    {
        var store = new DhtItemStore(_clock);
        byte[] atLimit = Bencoded(new string('x', 996));
        Assert.Equal(1000, atLimit.Length);
        Assert.True(store.PutImmutable(atLimit).Stored);

        byte[] tooBig = Bencoded(new string('x', 997));
        Assert.Equal(1001, tooBig.Length);
        Assert.Equal(DhtItemError.MessageTooBig, store.PutImmutable(tooBig).Error);

        var signed = new DhtMutableItem(Keys.PublicKey, [], 1, tooBig, new byte[64]);
        Assert.Equal(DhtItemError.MessageTooBig, store.PutMutable(signed).Error);
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void Refuses_a_salt_over_64_bytes_with_207()
    {
        var store = new DhtItemStore(_clock);
        var item = new DhtMutableItem(Keys.PublicKey, new byte[65], 1, Bencoded("v"), new byte[64]);

        Assert.Equal(DhtItemError.SaltTooBig, store.PutMutable(item).Error);
        Assert.True(store.PutMutable(DhtMutableItem.Sign(Keys, new byte[64], 1, Bencoded("v"))).Stored);
    }

    [Fact]
    public void Refuses_a_bad_signature_with_206_and_keeps_the_stored_item()
    {
        var store = new DhtItemStore(_clock);
        var good = DhtMutableItem.Sign(Keys, Salt, 1, Bencoded("one"));
        Assert.True(store.PutMutable(good).Stored);

        byte[] signature = DhtMutableItem.Sign(Keys, Salt, 2, Bencoded("two")).Signature.ToArray();
        signature[10] ^= 1;
        var forged = new DhtMutableItem(Keys.PublicKey, Salt, 2, Bencoded("two"), signature);

        var outcome = store.PutMutable(forged);
        Assert.Equal(DhtItemError.InvalidSignature, outcome.Error);
        Assert.Equal(good.Target, outcome.Target);
        Assert.Equal(1, store.Get(good.Target)!.Sequence);
    }

    [Fact]
    public void A_higher_sequence_number_replaces_and_a_lower_one_gets_302()
    {
        var store = new DhtItemStore(_clock);
        Assert.True(store.PutMutable(DhtMutableItem.Sign(Keys, Salt, 5, Bencoded("five"))).Stored);
        Assert.True(store.PutMutable(DhtMutableItem.Sign(Keys, Salt, 6, Bencoded("six"))).Stored);

        var older = store.PutMutable(DhtMutableItem.Sign(Keys, Salt, 5, Bencoded("five")));

        Assert.Equal(DhtItemError.SequenceLessThanCurrent, older.Error);
        var reply = store.Get(older.Target)!;
        Assert.Equal(6, reply.Sequence);
        Assert.Equal(Bencoded("six"), reply.Value.ToArray());
        Assert.Equal(1, store.Count);
    }

    [Fact]
    public void The_same_sequence_number_refreshes_the_same_value_and_refuses_another()
    {
        var store = new DhtItemStore(_clock);
        var item = DhtMutableItem.Sign(Keys, Salt, 3, Bencoded("three"));
        Assert.True(store.PutMutable(item).Stored);

        Assert.True(store.PutMutable(DhtMutableItem.Sign(Keys, Salt, 3, Bencoded("three"))).Stored);
        var other = store.PutMutable(DhtMutableItem.Sign(Keys, Salt, 3, Bencoded("THREE")));

        Assert.Equal(DhtItemError.SequenceLessThanCurrent, other.Error);
        Assert.Equal(Bencoded("three"), store.Get(item.Target)!.Value.ToArray());
    }

    [Fact]
    public void Cas_must_match_the_stored_sequence_number_or_301()
    {
        var store = new DhtItemStore(_clock);

        // BEP 44: with nothing stored the cas is ignored.
        Assert.True(store.PutMutable(DhtMutableItem.Sign(Keys, Salt, 1, Bencoded("a")), cas: 9).Stored);

        var mismatch = store.PutMutable(DhtMutableItem.Sign(Keys, Salt, 2, Bencoded("b")), cas: 0);
        Assert.Equal(DhtItemError.CasMismatch, mismatch.Error);
        Assert.Equal(1, store.Get(mismatch.Target)!.Sequence);

        Assert.True(store.PutMutable(DhtMutableItem.Sign(Keys, Salt, 2, Bencoded("b")), cas: 1).Stored);
        Assert.Equal(2, store.Get(mismatch.Target)!.Sequence);
    }

    [Fact]
    public void A_get_with_seq_gets_only_the_sequence_number_unless_the_item_is_newer()
    {
        var store = new DhtItemStore(_clock);
        var item = DhtMutableItem.Sign(Keys, Salt, 4, Bencoded("four"));
        store.PutMutable(item);

        var same = store.Get(item.Target, sequence: 4)!;
        Assert.False(same.HasValue);
        Assert.True(same.PublicKey.IsEmpty);
        Assert.True(same.Signature.IsEmpty);
        Assert.Equal(4, same.Sequence);

        var newer = store.Get(item.Target, sequence: 3)!;
        Assert.True(newer.HasValue);
        Assert.True(newer.TryGetMutable(item.Target, Salt, out var read));
        Assert.Equal(4, read.Sequence);
    }

    [Fact]
    public void Items_expire_two_hours_after_their_last_put()
    {
        var store = new DhtItemStore(_clock);
        var kept = DhtMutableItem.Sign(Keys, Salt, 1, Bencoded("kept"));
        var dropped = store.PutImmutable(Bencoded("dropped")).Target;
        store.PutMutable(kept);

        _clock.Advance(TimeSpan.FromMinutes(90));
        Assert.True(store.PutMutable(kept).Stored);
        _clock.Advance(TimeSpan.FromMinutes(31));

        Assert.Null(store.Get(dropped));
        Assert.NotNull(store.Get(kept.Target));
        _clock.Advance(TimeSpan.FromMinutes(90));
        Assert.Equal(1, store.RemoveExpired());
        Assert.Equal(0, store.Count);
        Assert.Null(store.Get(kept.Target));
    }

    [Fact]
    public void A_full_store_evicts_the_item_put_longest_ago()
    {
        var store = new DhtItemStore(_clock, capacity: 3);
        Id20 a = store.PutImmutable(Bencoded("a")).Target;
        _clock.Advance(TimeSpan.FromSeconds(1));
        Id20 b = store.PutImmutable(Bencoded("b")).Target;
        _clock.Advance(TimeSpan.FromSeconds(1));
        Id20 c = store.PutImmutable(Bencoded("c")).Target;
        _clock.Advance(TimeSpan.FromSeconds(1));
        store.PutImmutable(Bencoded("a"));

        Id20 d = store.PutImmutable(Bencoded("d")).Target;

        Assert.Equal(3, store.Count);
        Assert.Equal(1, store.Evicted);
        Assert.Null(store.Get(b));
        Assert.NotNull(store.Get(a));
        Assert.NotNull(store.Get(c));
        Assert.NotNull(store.Get(d));
    }

    [Fact]
    public void Stays_bounded_under_a_flood_of_items()
    {
        var store = new DhtItemStore(_clock);
        for (int i = 0; i < 5000; i++)
        {
            store.PutImmutable(Bencoded("item " + i));
        }

        Assert.Equal(DhtItemStore.DefaultCapacity, store.Count);
        Assert.Equal(5000 - DhtItemStore.DefaultCapacity, store.Evicted);
        Assert.NotNull(store.Get(DhtItemFormat.ImmutableTarget(Bencoded("item 4999"))));
    }

    [Fact]
    public void Put_dispatches_parsed_arguments()
    {
        var store = new DhtItemStore(_clock);
        var item = DhtMutableItem.Sign(Keys, [], 1, Bencoded("x"));

        Assert.True(store.Put(DhtPutArguments.ForMutable([1, 2], item)).Stored);
        Assert.True(store.Put(DhtPutArguments.ForImmutable([1, 2], Bencoded("y"))).Stored);
        Assert.Equal(DhtItemError.CasMismatch, store.Put(DhtPutArguments.ForMutable([1, 2], DhtMutableItem.Sign(Keys, [], 2, Bencoded("z")), cas: 5)).Error);
        Assert.Equal(2, store.Count);
    }

    private static byte[] Bencoded(string text) =>
        Encoding.ASCII.GetBytes($"{Encoding.ASCII.GetByteCount(text)}:{text}");
}
