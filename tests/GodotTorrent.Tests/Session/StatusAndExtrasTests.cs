using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>Settings refused at construction; the status and disk-buffer tests of a transfer run on the simulation (SimulatedStatusTests).</summary>
public class StatusAndExtrasTests
{
    [Fact]
    public void An_encryption_level_of_nothing_is_refused()
    {
        var error = Assert.Throws<TorrentException>(() => new TorrentSession(new SessionSettings { AllowedEncryptionLevel = 0 }));
        Assert.Equal(ErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("AllowedEncryptionLevel", error.Message, StringComparison.Ordinal);
    }
}
