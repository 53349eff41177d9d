using System.Security.Cryptography;
using GodotTorrent.Net.Encryption;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Net.Encryption;

public sealed class SkeyTableTests
{
    [Fact]
    public void Five_hundred_handshakes_over_five_hundred_torrents_hash_each_torrent_once()
    {
        var hashes = Enumerable.Range(0, 500).Select(n => new Id20(SHA1.HashData(BitConverter.GetBytes(n)))).ToArray();
        var directory = new Negotiators.Directory(hashes);
        var table = new SkeyTable();
        var random = new Random(3);

        for (int n = 0; n < 500; n++)
        {
            var wanted = hashes[random.Next(hashes.Length)];
            Assert.True(table.TryFind(MseHashes.Req2(wanted), directory, out var found));
            Assert.Equal(wanted, found);
        }

        Assert.Equal(500, table.HashesComputed);
    }

    [Fact]
    public void A_torrent_added_later_is_found_and_only_it_is_hashed()
    {
        var first = new Id20(SHA1.HashData("first"u8));
        var later = new Id20(SHA1.HashData("later"u8));
        var directory = new Negotiators.Directory(first);
        var table = new SkeyTable();
        Assert.True(table.TryFind(MseHashes.Req2(first), directory, out _));

        directory.Known.Add(later);

        Assert.True(table.TryFind(MseHashes.Req2(later), directory, out var found));
        Assert.Equal(later, found);
        Assert.Equal(2, table.HashesComputed);
    }

    [Fact]
    public void Unknown_torrents_are_not_found_and_cost_no_hashing_of_known_ones()
    {
        var known = new Id20(SHA1.HashData("known"u8));
        var directory = new Negotiators.Directory(known);
        var table = new SkeyTable();

        for (int n = 0; n < 100; n++)
        {
            Assert.False(table.TryFind(new Id20(SHA1.HashData(BitConverter.GetBytes(n))), directory, out _));
        }

        Assert.Equal(1, table.HashesComputed);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void A_removed_torrent_leaves_the_table_at_the_next_rebuild()
    {
        var gone = new Id20(SHA1.HashData("gone"u8));
        var directory = new Negotiators.Directory(gone);
        var table = new SkeyTable();
        Assert.True(table.TryFind(MseHashes.Req2(gone), directory, out _));

        directory.Known.Clear();
        Assert.False(table.TryFind(MseHashes.Req2(new Id20(SHA1.HashData("someone else"u8))), directory, out _));

        Assert.False(table.TryFind(MseHashes.Req2(gone), directory, out _));
        Assert.Equal(0, table.Count);
    }
}
