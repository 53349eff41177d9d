using GodotTorrent.Wire;

namespace GodotTorrent.Discovery;

/// <summary>One BEP 14 announce: where the sender accepts peers and for which torrents.</summary>
/// <param name="Port">The sender's listen port (its address is the datagram's source).</param>
/// <param name="InfoHashes">The torrents (v1 hashes, or v2 hashes truncated to 20 bytes).</param>
/// <param name="Cookie">The sender's cookie, so a session can tell its own announces; null without one.</param>
internal sealed record LsdMessage(int Port, IReadOnlyList<Id20> InfoHashes, string? Cookie);
