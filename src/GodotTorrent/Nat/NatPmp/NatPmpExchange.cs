namespace GodotTorrent.Nat.NatPmp;

/// <summary>How one request went: the reply, or none after every try (<paramref name="BadReplies"/>: the gateway sent only malformed ones).</summary>
internal readonly record struct NatPmpExchange(NatPmpReply? Reply, bool BadReplies);
