using GodotTorrent.Integration;

namespace GodotTorrent.Tests.Integration;

public class DebuggerMessagesTests
{
    [Fact]
    public void Rows_survive_the_trip_as_plain_values()
    {
        var status = SessionTotalsTests.Status(7, 2048, 512, 4, name: "dlc");

        var data = DebuggerMessages.Encode([status]);
        var row = Assert.Single(DebuggerMessages.Decode(data));

        Assert.Equal(new DebuggerTorrentRow(VariantSnapshots.Key(status.InfoHashes), "dlc", "downloading", 0.25, 2048, 512, 4), row);
        Assert.All((IReadOnlyList<object?>)data[0]!, v => Assert.True(v is string or long or double));
    }

    [Fact]
    public void Malformed_rows_are_skipped_and_integers_may_arrive_as_doubles()
    {
        IReadOnlyList<object?> data =
        [
            "not a row",
            new List<object?> { "hash", "name" },
            new List<object?> { "hash", "name", "seeding", double.NaN, 1L, 2L, 3L },
            new List<object?> { "ab", "ok", "seeding", 1L, 10.0, 20.0, 3.0 },
        ];

        var row = Assert.Single(DebuggerMessages.Decode(data));

        Assert.Equal(new DebuggerTorrentRow("ab", "ok", "seeding", 1, 10, 20, 3), row);
    }

    [Fact]
    public void A_message_carries_at_most_MaxRows_rows()
    {
        var statuses = Enumerable.Range(0, DebuggerMessages.MaxRows + 5).Select(i => SessionTotalsTests.Status((byte)(i % 200), 0, 0, 0));

        Assert.Equal(DebuggerMessages.MaxRows, DebuggerMessages.Encode(statuses).Count);
    }
}
