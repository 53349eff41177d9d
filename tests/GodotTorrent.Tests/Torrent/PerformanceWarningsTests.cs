using GodotTorrent.Torrent;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Torrent;

public class PerformanceWarningsTests
{
    [Fact]
    public void A_warning_passes_at_most_once_a_minute()
    {
        var time = new FakeTimeProvider();
        var posted = new List<string>();
        var warnings = new PerformanceWarnings(time, posted.Add);

        warnings.Warn("first");
        time.Advance(TimeSpan.FromSeconds(59));
        warnings.Warn("too soon");
        time.Advance(TimeSpan.FromSeconds(1));
        warnings.Warn("a minute later");

        Assert.Equal(["first", "a minute later"], posted);
    }
}
