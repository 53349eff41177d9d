using GodotTorrent.Peers;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Peers;

public sealed class OutgoingEncryptionTests
{
    [Theory]
    [InlineData(EncryptionPolicy.Forced, null, true)]
    [InlineData(EncryptionPolicy.Forced, false, true)]
    [InlineData(EncryptionPolicy.Disabled, null, false)]
    [InlineData(EncryptionPolicy.Disabled, true, false)]
    [InlineData(EncryptionPolicy.Enabled, null, true)]
    [InlineData(EncryptionPolicy.Enabled, true, true)]
    [InlineData(EncryptionPolicy.Enabled, false, false)]
    public void The_first_attempt_follows_the_policy_and_what_the_peer_taught(EncryptionPolicy policy, bool? speaksMse, bool encrypted) =>
        Assert.Equal(encrypted, OutgoingEncryption.FirstAttempt(policy, speaksMse));

    [Theory]
    [InlineData(EncryptionPolicy.Enabled, true, ErrorCode.EncryptionNotSupported, false)]
    [InlineData(EncryptionPolicy.Enabled, false, ErrorCode.ConnectionClosed, true)]
    [InlineData(EncryptionPolicy.Enabled, true, ErrorCode.EncryptionHandshakeFailed, null)]
    [InlineData(EncryptionPolicy.Enabled, true, ErrorCode.ConnectTimeout, null)]
    [InlineData(EncryptionPolicy.Enabled, false, ErrorCode.InfoHashMismatch, null)]
    [InlineData(EncryptionPolicy.Forced, true, ErrorCode.EncryptionNotSupported, null)]
    [InlineData(EncryptionPolicy.Disabled, false, ErrorCode.ConnectionClosed, null)]
    public void Only_a_peer_that_plainly_refused_what_we_offered_is_retried_the_other_way_and_only_when_enabled(EncryptionPolicy policy, bool triedEncrypted, ErrorCode failure, bool? retry) =>
        Assert.Equal(retry, OutgoingEncryption.Retry(policy, triedEncrypted, failure));
}
