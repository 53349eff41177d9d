namespace GodotTorrent.Swarm;

/// <summary>A snapshot of one peer as the <see cref="Choker"/> sees it at an evaluation.</summary>
/// <param name="Id">The engine's key of the peer.</param>
/// <param name="Interested">The peer is interested in our pieces (only interested peers are unchoked).</param>
/// <param name="DownloadRate">Bytes per second we received from the peer, averaged over the last 20 s.</param>
/// <param name="UploadRate">Bytes per second we sent to the peer, averaged over the last 20 s.</param>
/// <param name="ConnectedAt">When the connection was made.</param>
/// <param name="Snubbed">The peer has left our requests unanswered (see <see cref="RequestQueue.IsSnubbed"/>).</param>
internal readonly record struct ChokerPeer(int Id, bool Interested, double DownloadRate, double UploadRate, DateTimeOffset ConnectedAt, bool Snubbed);
