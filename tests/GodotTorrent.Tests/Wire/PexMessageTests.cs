using System.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Wire;

public class PexMessageTests
{
    [Fact]
    public void Added_and_dropped_round_trip_for_both_families_with_flags()
    {
        var message = new PexMessage
        {
            Added =
            [
                new PexPeer(IPEndPoint.Parse("10.0.0.1:6881"), PexFlags.PrefersEncryption | PexFlags.Reachable),
                new PexPeer(IPEndPoint.Parse("[2001:db8::1]:51413"), PexFlags.UploadOnly | PexFlags.SupportsUtp | PexFlags.SupportsHolepunch),
                new PexPeer(IPEndPoint.Parse("[::ffff:192.168.1.2]:80"), PexFlags.None),
            ],
            Dropped = [IPEndPoint.Parse("1.2.3.4:5"), IPEndPoint.Parse("[2001:db8::2]:6")],
        };

        var parsed = PexMessage.Parse(message.ToBytes());

        Assert.Equal(
            [
                new PexPeer(IPEndPoint.Parse("10.0.0.1:6881"), PexFlags.PrefersEncryption | PexFlags.Reachable),
                new PexPeer(IPEndPoint.Parse("192.168.1.2:80"), PexFlags.None),
                new PexPeer(IPEndPoint.Parse("[2001:db8::1]:51413"), PexFlags.UploadOnly | PexFlags.SupportsUtp | PexFlags.SupportsHolepunch),
            ],
            parsed.Added);
        Assert.Equal(message.Dropped, parsed.Dropped);
        Assert.False(parsed.Truncated);
    }

    [Fact]
    public void The_compact_layout_is_the_tracker_one()
    {
        var bytes = new PexMessage { Added = [new PexPeer(IPEndPoint.Parse("1.2.3.4:258"), PexFlags.Reachable)] }.ToBytes();
        byte[] expected = [.. "d5:added6:"u8, 1, 2, 3, 4, 1, 2, .. "7:added.f1:"u8, 0x10, .. "6:added60:8:added6.f0:7:dropped0:8:dropped60:e"u8];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Entries_over_the_limits_are_left_out_not_refused()
    {
        var message = new PexMessage
        {
            Added = [.. Enumerable.Range(1, 120).Select(i => new PexPeer(new IPEndPoint(new IPAddress([10, 0, 0, (byte)i]), 1000), PexFlags.None))],
            Dropped = [.. Enumerable.Range(1, 60).Select(i => new IPEndPoint(new IPAddress([10, 1, 0, (byte)i]), 1000))],
        };

        var parsed = PexMessage.Parse(message.ToBytes());

        Assert.True(parsed.Truncated);
        Assert.Equal(50, parsed.Added.Count);
        Assert.Equal(50, parsed.Dropped.Count);
        Assert.Equal(message.Added.Take(50), parsed.Added);
        Assert.Equal(100, PexMessage.Parse(message.ToBytes(), maxAdded: 100).Added.Count);
    }

    [Fact]
    public void Flags_of_the_wrong_length_are_ignored()
    {
        byte[] payload = [.. "d5:added12:"u8, 1, 2, 3, 4, 0, 0x50, 5, 6, 7, 8, 0, 0x51, .. "7:added.f1:"u8, 1, (byte)'e'];
        var parsed = PexMessage.Parse(payload);
        Assert.Equal(2, parsed.Added.Count);
        Assert.All(parsed.Added, p => Assert.Equal(PexFlags.None, p.Flags));
    }

    [Fact]
    public void Missing_keys_and_unknown_keys_are_fine()
    {
        Assert.Empty(PexMessage.Parse("de"u8.ToArray()).Added);
        Assert.Empty(PexMessage.Parse("d1:xi1e7:droppedi5ee"u8.ToArray()).Dropped);
    }

    [Theory]
    [InlineData("")]
    [InlineData("le")]
    [InlineData("d5:added5:abcdee")]
    [InlineData("d6:added66:abcdefe")]
    [InlineData("d7:dropped7:abcdefge")]
    [InlineData("d8:dropped619:abcdefghijklmnopqrse")]
    [InlineData("d5:added")]
    public void Malformed_messages_throw_the_extension_error(string text)
    {
        var error = Assert.Throws<PeerProtocolException>(() => PexMessage.Parse(System.Text.Encoding.Latin1.GetBytes(text)));
        Assert.Equal(ErrorCode.InvalidExtensionMessage, error.ErrorCode);
    }

    [Fact]
    public void An_oversized_payload_is_refused()
    {
        var payload = System.Text.Encoding.ASCII.GetBytes($"d5:added{70_000 * 6}:").Concat(new byte[70_000 * 6]).Append((byte)'e').ToArray();
        Assert.Throws<PeerProtocolException>(() => PexMessage.Parse(payload));
    }

    [Fact]
    public void Ten_thousand_mutated_payloads_parse_or_throw_the_protocol_exception()
    {
        var random = new Random(11_011);
        byte[][] seeds =
        [
            new PexMessage
            {
                Added = [new PexPeer(IPEndPoint.Parse("10.0.0.1:6881"), PexFlags.Reachable), new PexPeer(IPEndPoint.Parse("[2001:db8::1]:1"), PexFlags.UploadOnly)],
                Dropped = [IPEndPoint.Parse("1.2.3.4:5"), IPEndPoint.Parse("[2001:db8::2]:6")],
            }.ToBytes(),
            new PexMessage { Added = [.. Enumerable.Range(1, 60).Select(i => new PexPeer(new IPEndPoint(new IPAddress([10, 0, 0, (byte)i]), 9), PexFlags.None))] }.ToBytes(),
        ];
        int parsed = 0;
        int violations = 0;
        for (int n = 0; n < 10_000; n++)
        {
            var state = new PexState(TimeProvider.System, IPEndPoint.Parse("10.0.0.1:6881"));
            var input = MetadataMessageTests.Mutate(seeds[random.Next(seeds.Length)], random);
            try
            {
                var message = PexMessage.Parse(input);
                _ = PexMessage.Parse(message.ToBytes());
                _ = state.OnMessage(input);
                parsed++;
            }
            catch (PeerProtocolException)
            {
                violations++;
            }
        }

        Assert.True(parsed > 100, $"{parsed} parsed");
        Assert.True(violations > 100, $"{violations} violations");
    }
}
