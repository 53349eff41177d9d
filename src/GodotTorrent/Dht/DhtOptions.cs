namespace GodotTorrent.Dht;

/// <summary>The DHT's settings, from <see cref="Session.SessionSettings"/>.</summary>
/// <param name="ReadOnly">BEP 43: ask but never answer queries, and say so with <c>ro</c>.</param>
/// <param name="UploadRateLimit">Bytes per second the DHT may send (0: unlimited), as libtorrent's <c>dht_upload_rate_limit</c>.</param>
/// <param name="Alpha">Parallel requests per lookup (3-5).</param>
/// <param name="EnforceNodeId">BEP 42: keep only nodes whose id matches their address in the routing table.</param>
internal sealed record DhtOptions(bool ReadOnly = false, int UploadRateLimit = 8000, int Alpha = 3, bool EnforceNodeId = false);
