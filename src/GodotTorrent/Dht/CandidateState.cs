namespace GodotTorrent.Dht;

/// <summary>Where a node stands in one lookup.</summary>
internal enum CandidateState
{
    Fresh,
    Pending,
    Replied,
    Failed,
}
