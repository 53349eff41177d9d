using System.Text;
using GodotTorrent.Alerts;
using GodotTorrent.Dht.Items;
using GodotTorrent.Discovery;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Tests.Discovery;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Simulation;

/// <summary>
/// BEP 44 items through the session's API and BEP 46 update channels (issue 14), on the simulation:
/// each session's fake node shares one in-memory item table, so a publisher's put is what a
/// follower's get sees; transfers are real simulated swarms with peers from the fake's get_peers.
/// </summary>
public sealed class SimulatedUpdateChannelTests
{
    private static readonly SessionSettings DhtOn = SimSwarm.DefaultSettings with { EnableDht = true, AlertMask = AlertCategory.All };

    [Fact]
    public void An_immutable_item_put_by_one_session_is_read_by_another_with_alerts()
    {
        using var swarm = new SimSwarm(61);
        var table = new FakeDhtItemTable();
        var a = AddDhtNode(swarm, table);
        var b = AddDhtNode(swarm, table);
        byte[] value = Encoding.ASCII.GetBytes("12:Hello World!");

        var receipt = swarm.Run(a.Session.DhtPutImmutableAsync(value));
        var read = swarm.Run(b.Session.DhtGetImmutableAsync(receipt.Target));

        Assert.Equal(DhtItemFormat.ImmutableTarget(value).ToString(), receipt.Target);
        Assert.Equal((null, 8), (receipt.Sequence, receipt.StoredCount));
        Assert.Equal(value, read);
        var put = Assert.Single(a.Session.PopAlerts().OfType<DhtPutAlert>());
        Assert.Equal((receipt.Target, 8), (put.Target, put.StoredCount));
        var got = Assert.Single(b.Session.PopAlerts().OfType<DhtImmutableItemAlert>());
        Assert.Equal(value, got.Value!.Value.ToArray());
        Assert.Null(swarm.Run(b.Session.DhtGetImmutableAsync(new string('0', 40))));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_mutable_put_reads_the_current_sequence_and_puts_the_next_and_a_get_verifies_it()
    {
        using var swarm = new SimSwarm(62);
        var table = new FakeDhtItemTable();
        var a = AddDhtNode(swarm, table);
        var b = AddDhtNode(swarm, table);
        var key = DhtSigningKey.Generate();
        byte[] salt = Encoding.ASCII.GetBytes("channel");

        var first = swarm.Run(a.Session.DhtPutMutableAsync(key, Encoding.ASCII.GetBytes("3:one"), salt));
        var second = swarm.Run(a.Session.DhtPutMutableAsync(key, Encoding.ASCII.GetBytes("3:two"), salt));
        var read = swarm.Run(b.Session.DhtGetMutableAsync(key.PublicKey.ToArray(), salt));

        Assert.Equal((1L, 2L), (first.Sequence!.Value, second.Sequence!.Value));
        Assert.Equal(DhtItemFormat.MutableTarget(key.PublicKey.Span, salt).ToString(), second.Target);
        Assert.Equal("3:two", Encoding.ASCII.GetString(read!.Value.Span));
        Assert.Equal(2, read.Sequence);
        // Another salt is another item; an explicit sequence number is put as given.
        Assert.Null(swarm.Run(b.Session.DhtGetMutableAsync(key.PublicKey.ToArray())));
        Assert.Equal(10L, swarm.Run(a.Session.DhtPutMutableAsync(key, Encoding.ASCII.GetBytes("i7e"), salt, sequence: 10)).Sequence);
        Assert.Equal(10, swarm.Run(b.Session.DhtGetMutableAsync(key.PublicKey.ToArray(), salt))!.Sequence);
        var alert = b.Session.PopAlerts().OfType<DhtMutableItemAlert>().Last();
        Assert.Equal((key.PublicKeyHex, Convert.ToHexString(salt).ToLowerInvariant(), 10L), (alert.PublicKey, alert.Salt, alert.Sequence));
        // A forged item (signed by another key) is not returned.
        var other = DhtKeyPair.Generate();
        var forged = DhtMutableItem.Sign(other, salt, 11, Encoding.ASCII.GetBytes("4:evil"));
        table.Force(new DhtMutableItem(key.PublicKey.Span, salt, 11, forged.Value, forged.Signature));
        Assert.Null(swarm.Run(b.Session.DhtGetMutableAsync(key.PublicKey.ToArray(), salt)));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void Every_item_call_fails_with_dht_disabled_when_the_dht_is_off()
    {
        using var swarm = new SimSwarm(63);
        var node = swarm.AddNode(SimSwarm.DefaultSettings with { EnableDht = false }, o => o with { DhtFactory = FakeDht.Factory([]) });
        var key = DhtSigningKey.Generate();
        var session = node.Session;

        Assert.Equal(ErrorCode.DhtDisabled, Fails(swarm, session.DhtPutImmutableAsync(Encoding.ASCII.GetBytes("i1e"))));
        Assert.Equal(ErrorCode.DhtDisabled, Fails(swarm, session.DhtGetImmutableAsync(new string('a', 40))));
        Assert.Equal(ErrorCode.DhtDisabled, Fails(swarm, session.DhtPutMutableAsync(key, Encoding.ASCII.GetBytes("i1e"))));
        Assert.Equal(ErrorCode.DhtDisabled, Fails(swarm, session.DhtGetMutableAsync(key.PublicKey.ToArray())));
        Assert.Equal(ErrorCode.DhtDisabled, Fails(swarm, session.PublishAsync(InfoHash.ComputeV1([1]), key)));
        var channel = new AddTorrentParams { Magnet = MagnetLink.CreateMutable(key.PublicKey.Span), SavePath = "/sim/x" };
        Assert.Equal(ErrorCode.DhtDisabled, Fails(swarm, session.AddTorrentAsync(channel)));
        // Bad arguments are refused before the DHT is asked.
        Assert.Equal(ErrorCode.InvalidArgument, Assert.Throws<TorrentException>(() => { _ = session.DhtPutImmutableAsync(Encoding.ASCII.GetBytes("not bencoding")); }).ErrorCode);
        Assert.Equal(ErrorCode.InvalidArgument, Assert.Throws<TorrentException>(() => { _ = session.DhtPutImmutableAsync(new byte[1001]); }).ErrorCode);
        Assert.Equal(ErrorCode.InvalidArgument, Assert.Throws<TorrentException>(() => { _ = session.DhtGetImmutableAsync("xyz"); }).ErrorCode);
        // BEP 46's ih is read back as a v1 hash: a v2 hash (cut to 20 bytes) would name no torrent a follower can verify.
        var v2 = Assert.Throws<TorrentException>(() => { _ = session.PublishAsync(InfoHash.ComputeV2([1]), key); });
        Assert.Equal(ErrorCode.InvalidArgument, v2.ErrorCode);
        Assert.Contains("v1 info-hash", v2.Message, StringComparison.Ordinal);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_follower_downloads_the_published_version_then_hears_of_the_next_one()
    {
        using var swarm = new SimSwarm(64);
        var table = new FakeDhtItemTable();
        var (v1, content1) = SimSwarm.MakeTorrent(1 << 20, contentSeed: 1);
        var (v2, content2) = SimSwarm.MakeTorrent(1 << 20, contentSeed: 2);
        var hash1 = new Id20(v1.InfoHashes.V1!.Span);
        var hash2 = new Id20(v2.InfoHashes.V1!.Span);
        var made = new List<FakeDht>();
        var publisher = swarm.AddNode(DhtOn, o => o with { DhtFactory = FakeDht.Factory(made, d => d.Items = table) });
        swarm.AddTorrent(publisher, new AddTorrentParams { Torrent = v1, SavePath = "/sim/v1" }, content1);
        swarm.AddTorrent(publisher, new AddTorrentParams { Torrent = v2, SavePath = "/sim/v2" }, content2);
        var follower = swarm.AddNode(DhtOn, o => o with
        {
            DhtFactory = FakeDht.Factory(made, d =>
            {
                d.Items = table;
                d.Swarms[hash1] = [publisher.EndPoint];
                d.Swarms[hash2] = [publisher.EndPoint];
            }),
        });
        var key = DhtSigningKey.Generate();
        byte[] salt = Encoding.ASCII.GetBytes("game");
        var events = new List<TorrentUpdateAvailableEventArgs>();
        follower.Session.TorrentUpdateAvailable += (_, e) => events.Add(e);

        Assert.Equal(1L, swarm.Run(publisher.Session.PublishAsync(v1.InfoHashes.V1!, key, salt)).Sequence);
        var handle = swarm.AddTorrent(follower, new AddTorrentParams { Magnet = MagnetLink.CreateMutable(key.PublicKey.Span, salt), SavePath = "/sim/follow1" });

        Assert.Equal(v1.InfoHashes.V1, handle.InfoHashes.V1);
        Assert.True(swarm.RunUntil(() => handle.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(3)), SimulatedSwarmTests.Describe(swarm));
        Assert.Equal(content1, swarm.ReadFile(follower, handle.TorrentInfo!.Files[0], "/sim/follow1"));
        Assert.Empty(events);

        Assert.Equal(2L, swarm.Run(publisher.Session.PublishAsync(v2.InfoHashes.V1!, key, salt)).Sequence);
        Assert.True(swarm.RunUntil(() => events.Count > 0, DhtFollower.FollowInterval + TimeSpan.FromSeconds(5)));
        var update = Assert.Single(events).Update;
        Assert.Equal((v1.InfoHashes.V1!.ToHex(), v2.InfoHashes.V1!.ToHex(), 2L), (update.OldInfoHash, update.NewInfoHash, update.Sequence));
        Assert.Same(handle, update.Handle);
        var alert = Assert.Single(follower.Session.PopAlerts().OfType<TorrentUpdateAvailableAlert>());
        Assert.Equal(update, alert);

        // The app adds the new version from the ready magnet; it downloads too.
        var next = swarm.AddTorrent(follower, new AddTorrentParams { Magnet = MagnetLink.Parse(update.NewMagnet), SavePath = "/sim/follow2" });
        Assert.True(swarm.RunUntil(() => next.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(3)), SimulatedSwarmTests.Describe(swarm));
        Assert.Equal(content2, swarm.ReadFile(follower, next.TorrentInfo!.Files[0], "/sim/follow2"));
        // Reported once: later reads of the same item say nothing new.
        swarm.RunFor(DhtFollower.FollowInterval * 3);
        Assert.Single(events);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_lower_or_equal_sequence_number_is_no_update()
    {
        using var swarm = new SimSwarm(65);
        var table = new FakeDhtItemTable();
        var (v1, _) = SimSwarm.MakeTorrent(1 << 20, contentSeed: 1);
        var key = DhtKeyPair.Generate();
        table.Force(DhtMutableItem.Sign(key, [], 5, MutableTorrentValue.Encode(v1.InfoHashes.V1!)));
        var follower = AddDhtNode(swarm, table);
        var events = new List<TorrentUpdateAvailableEventArgs>();
        follower.Session.TorrentUpdateAvailable += (_, e) => events.Add(e);
        var handle = swarm.AddTorrent(follower, new AddTorrentParams { Magnet = MagnetLink.CreateMutable(key.PublicKey), SavePath = "/sim/f" });
        Assert.Equal(v1.InfoHashes.V1, handle.InfoHashes.V1);

        // Equal: another info-hash at the same sequence number; lower: an older item coming back.
        table.Force(DhtMutableItem.Sign(key, [], 5, MutableTorrentValue.Encode(InfoHash.ComputeV1([2]))));
        swarm.RunFor(DhtFollower.FollowInterval + TimeSpan.FromSeconds(5));
        table.Force(DhtMutableItem.Sign(key, [], 4, MutableTorrentValue.Encode(InfoHash.ComputeV1([3]))));
        swarm.RunFor(DhtFollower.FollowInterval + TimeSpan.FromSeconds(5));
        Assert.Empty(events);
        Assert.Empty(follower.Session.PopAlerts().OfType<TorrentUpdateAvailableAlert>());

        // The same check passes a higher one (so the reads above did happen).
        table.Force(DhtMutableItem.Sign(key, [], 6, MutableTorrentValue.Encode(InfoHash.ComputeV1([4]))));
        swarm.RunFor(DhtFollower.FollowInterval + TimeSpan.FromSeconds(5));
        Assert.Equal(6L, Assert.Single(events).Update.Sequence);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_read_that_never_ends_is_given_up_and_the_next_read_finds_the_update()
    {
        using var swarm = new SimSwarm(67);
        var table = new FakeDhtItemTable();
        var key = DhtKeyPair.Generate();
        table.Force(DhtMutableItem.Sign(key, [], 1, MutableTorrentValue.Encode(InfoHash.ComputeV1([1]))));
        var follower = AddDhtNode(swarm, table);
        var events = new List<TorrentUpdateAvailableEventArgs>();
        follower.Session.TorrentUpdateAvailable += (_, e) => events.Add(e);
        swarm.AddTorrent(follower, new AddTorrentParams { Magnet = MagnetLink.CreateMutable(key.PublicKey), SavePath = "/sim/f" });

        // The first read is asked of a DHT where nobody answers; the next ones are answered.
        table.Silent = true;
        int gets = table.Gets;
        Assert.True(swarm.RunUntil(() => table.Gets > gets, DhtFollower.FollowInterval + TimeSpan.FromSeconds(5)));
        table.Silent = false;
        table.Force(DhtMutableItem.Sign(key, [], 2, MutableTorrentValue.Encode(InfoHash.ComputeV1([2]))));

        Assert.True(swarm.RunUntil(() => events.Count > 0, DhtFollower.FollowInterval + DhtFollower.ResolveTimeout + TimeSpan.FromSeconds(5)));
        Assert.Equal(2L, events[0].Update.Sequence);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void The_channel_is_read_again_at_the_follow_interval_setting()
    {
        using var swarm = new SimSwarm(66);
        var table = new FakeDhtItemTable();
        var key = DhtKeyPair.Generate();
        table.Force(DhtMutableItem.Sign(key, [], 1, MutableTorrentValue.Encode(InfoHash.ComputeV1([1]))));
        var follower = swarm.AddNode(DhtOn with { DhtFollowInterval = TimeSpan.FromSeconds(10) }, o => o with { DhtFactory = FakeDht.Factory([], d => d.Items = table) });
        var events = new List<TorrentUpdateAvailableEventArgs>();
        follower.Session.TorrentUpdateAvailable += (_, e) => events.Add(e);
        swarm.AddTorrent(follower, new AddTorrentParams { Magnet = MagnetLink.CreateMutable(key.PublicKey), SavePath = "/sim/f" });

        table.Force(DhtMutableItem.Sign(key, [], 2, MutableTorrentValue.Encode(InfoHash.ComputeV1([2]))));
        Assert.True(swarm.RunUntil(() => events.Count > 0, TimeSpan.FromSeconds(12)));
        Assert.Equal(2L, events[0].Update.Sequence);

        // A change at run time applies from the next read: a day is far beyond the next 10 minutes.
        swarm.Run(follower.Session.ApplySettingsAsync(follower.Session.Settings with { DhtFollowInterval = TimeSpan.FromDays(1) }));
        swarm.RunFor(TimeSpan.FromSeconds(11));
        table.Force(DhtMutableItem.Sign(key, [], 3, MutableTorrentValue.Encode(InfoHash.ComputeV1([3]))));
        swarm.RunFor(TimeSpan.FromMinutes(10));
        Assert.Single(events);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_publisher_re_puts_the_same_item_every_30_minutes_until_it_stops()
    {
        using var swarm = new SimSwarm(66);
        var table = new FakeDhtItemTable();
        var node = AddDhtNode(swarm, table);
        var key = DhtSigningKey.Generate();
        var start = swarm.Clock.GetUtcNow();

        swarm.Run(node.Session.PublishAsync(InfoHash.ComputeV1([9]), key));
        swarm.RunFor(TimeSpan.FromMinutes(95));
        var puts = table.Puts.Select(p => (Minutes: (int)Math.Round((p.At - start).TotalMinutes), p.Item.Mutable!.Sequence)).ToList();
        Assert.Equal([(0, 1L), (30, 1L), (60, 1L), (90, 1L)], puts);

        Assert.True(swarm.Run(node.Session.StopPublishingAsync(key)));
        swarm.RunFor(TimeSpan.FromHours(2));
        Assert.Equal(4, table.Puts.Count);
        Assert.False(swarm.Run(node.Session.StopPublishingAsync(key)));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_channel_that_cannot_be_resolved_fails_the_add_within_a_bound()
    {
        using var swarm = new SimSwarm(67);
        var table = new FakeDhtItemTable();
        var node = AddDhtNode(swarm, table);
        var key = DhtSigningKey.Generate();
        var channel = new AddTorrentParams { Magnet = MagnetLink.CreateMutable(key.PublicKey.Span), SavePath = "/sim/f" };

        // Nobody has the item: asked again until the bound, then refused.
        var first = swarm.Clock.GetUtcNow();
        int getsBefore = table.Gets;
        Assert.Equal(ErrorCode.MutableTorrentNotFound, Fails(swarm, node.Session.AddTorrentAsync(channel)));
        Assert.InRange(swarm.Clock.GetUtcNow() - first, DhtFollower.ResolveTimeout - DhtFollower.ResolveRetryDelay, DhtFollower.ResolveTimeout);
        Assert.InRange(table.Gets - getsBefore, 5, 10);
        // Nobody answers: after the resolve bound, not later.
        table.Silent = true;
        var start = swarm.Clock.GetUtcNow();
        Assert.Equal(ErrorCode.MutableTorrentNotFound, Fails(swarm, node.Session.AddTorrentAsync(channel)));
        Assert.Equal(DhtFollower.ResolveTimeout, swarm.Clock.GetUtcNow() - start);
        // An item whose value names no info-hash.
        table.Silent = false;
        swarm.Run(node.Session.DhtPutMutableAsync(key, Encoding.ASCII.GetBytes("5:hello")));
        Assert.Equal(ErrorCode.MutableTorrentNotFound, Fails(swarm, node.Session.AddTorrentAsync(channel)));
        Assert.Empty(swarm.Run(node.Session.GetTorrentsAsync()));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void A_channel_put_while_the_first_lookups_find_nothing_is_still_resolved()
    {
        using var swarm = new SimSwarm(69);
        var table = new FakeDhtItemTable();
        var node = AddDhtNode(swarm, table);
        var key = DhtSigningKey.Generate();
        var channel = new AddTorrentParams { Magnet = MagnetLink.CreateMutable(key.PublicKey.Span), SavePath = "/sim/f" };
        var target = InfoHash.ComputeV1([7]);

        // The add starts before the item exists (a DHT still joining sees no node holding it).
        var add = node.Session.AddTorrentAsync(channel);
        swarm.RunFor(TimeSpan.FromSeconds(25));
        Assert.False(add.IsCompleted);
        swarm.Run(node.Session.PublishAsync(target, key));
        var handle = swarm.Run(add);
        Assert.Equal(target, handle.InfoHashes.V1);
        Assert.Empty(swarm.Scheduler.Errors);
    }

    [Fact]
    public void The_readme_snippet_publishes_and_follows()
    {
        using var swarm = new SimSwarm(68);
        var table = new FakeDhtItemTable();
        var (torrent, content) = SimSwarm.MakeTorrent(1 << 20);
        var publisherNode = swarm.AddNode(DhtOn, o => o with { DhtFactory = FakeDht.Factory([], d => d.Items = table) });
        swarm.AddTorrent(publisherNode, torrent, content);
        var playerNode = swarm.AddNode(DhtOn, o => o with
        {
            DhtFactory = FakeDht.Factory([], d =>
            {
                d.Items = table;
                d.Swarms[new Id20(torrent.InfoHashes.V1!.Span)] = [publisherNode.EndPoint];
            }),
        });

        // Run on the player's loop, so the snippet's own awaits come back inside the simulation.
        var current = swarm.Run(playerNode.Session.Loop.InvokeAsync(() => ReadmeSnippet(publisherNode.Session, playerNode.Session, torrent, [])));

        Assert.Equal(torrent.InfoHashes.V1, current.InfoHashes.V1);
        Assert.True(swarm.RunUntil(() => current.Status.State == TorrentState.Seeding, TimeSpan.FromMinutes(3)));
        Assert.Empty(swarm.Scheduler.Errors);
    }

    // The README's "Update channels" snippet, as written there (publisher and player would be two programs).
    private static async Task<TorrentHandle> ReadmeSnippet(TorrentSession publisher, TorrentSession player, TorrentInfo torrent, List<string> updates)
    {
        // Publisher (the build machine): the key stays secret; the channel's magnet ships with the game.
        var key = DhtSigningKey.Generate();  // or DhtSigningKey.Load("publisher.key") from gdtorrent keygen
        await publisher.PublishAsync(torrent.InfoHashes.V1!, key, "stable"u8.ToArray());  // re-put every 30 min
        string channel = MagnetLink.CreateMutable(key.PublicKey.Span, "stable"u8).ToUri();

        // Player: the DHT gives the current version, then says when a newer one is published.
        player.TorrentUpdateAvailable += (_, e) => updates.Add(e.Update.NewMagnet);  // add it when you choose
        var current = await player.AddTorrentAsync(new AddTorrentParams { Magnet = MagnetLink.Parse(channel), SavePath = "game" });
        return current;
    }

    private static SimNode AddDhtNode(SimSwarm swarm, FakeDhtItemTable table) =>
        swarm.AddNode(DhtOn, o => o with { DhtFactory = FakeDht.Factory([], d => d.Items = table) });

    private static ErrorCode Fails(SimSwarm swarm, Task task)
    {
        swarm.Scheduler.RunUntilComplete(task, TimeSpan.FromMinutes(10));
        Assert.True(task.IsFaulted, $"the task is {task.Status}");
        return Assert.IsType<TorrentException>(task.Exception!.InnerException).ErrorCode;
    }
}
