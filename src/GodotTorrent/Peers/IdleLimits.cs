namespace GodotTorrent.Peers;

/// <summary>The time-outs <see cref="PeerIdleRules"/> applies, from the session's settings.</summary>
/// <param name="Silence">A peer that sends no message after its handshake for this long is dropped.</param>
/// <param name="Useless">Near the limit, a peer uninterested both ways with no payload for this long is dropped.</param>
/// <param name="NearLimit">The torrent or the session uses most of its connection slots.</param>
internal readonly record struct IdleLimits(TimeSpan Silence, TimeSpan Useless, bool NearLimit);
