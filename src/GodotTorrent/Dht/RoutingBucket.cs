namespace GodotTorrent.Dht;

/// <summary>One k-bucket (BEP 5): up to <see cref="Size"/> live nodes and as many replacements waiting for a slot.</summary>
internal sealed class RoutingBucket(DateTimeOffset now)
{
    public const int Size = 8;

    public List<RoutingNode> Nodes { get; } = new(Size);

    /// <summary>Nodes heard while the bucket was full, newest last; one takes the place of a node that goes bad.</summary>
    public List<RoutingNode> Replacements { get; } = new(Size);

    /// <summary>When a node of the bucket last answered or joined: a bucket quiet for 15 minutes is refreshed.</summary>
    public DateTimeOffset LastChanged { get; set; } = now;
}
