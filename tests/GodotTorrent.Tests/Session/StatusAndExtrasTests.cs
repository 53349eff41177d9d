using GodotTorrent.Session;

namespace GodotTorrent.Tests.Session;

/// <summary>Settings refused at construction; the status and disk-buffer tests of a transfer run on the simulation (SimulatedStatusTests).</summary>
public class StatusAndExtrasTests
{
    [Fact]
    public void Encryption_is_refused_until_it_exists()
    {
        var error = Assert.Throws<TorrentException>(() => new TorrentSession(new SessionSettings { Encryption = EncryptionPolicy.Required }));
        Assert.Equal(ErrorCode.InvalidArgument, error.ErrorCode);
        Assert.Contains("Encryption", error.Message, StringComparison.Ordinal);
    }
}
