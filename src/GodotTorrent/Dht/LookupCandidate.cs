namespace GodotTorrent.Dht;

/// <summary>A node a lookup knows of, with its distance to the target and what it gave us.</summary>
internal sealed class LookupCandidate(DhtContact contact, NodeDistance distance, bool isRouter)
{
    public DhtContact Contact { get; } = contact;

    public NodeDistance Distance { get; } = distance;

    /// <summary>A bootstrap router: its id is unknown, it is asked but never counts among the closest.</summary>
    public bool IsRouter { get; } = isRouter;

    public CandidateState State { get; set; }

    /// <summary>The write token its get_peers reply carried.</summary>
    public byte[]? Token { get; set; }
}
