using GodotTorrent.Wire;

namespace GodotTorrent.Dht.Items;

/// <summary>What a <c>put</c> came to: <see cref="DhtItemError.None"/> or the error to reply with, and the item's target.</summary>
/// <param name="Error">The KRPC error code, or <see cref="DhtItemError.None"/> when stored.</param>
/// <param name="Message">The error reply's text; empty when stored.</param>
/// <param name="Target">The item's target (default when the put was refused before it was known).</param>
internal readonly record struct DhtPutOutcome(DhtItemError Error, string Message, Id20 Target)
{
    /// <summary>True when the item was stored (or refreshed).</summary>
    public bool Stored => Error == DhtItemError.None;

    /// <summary>A stored item's outcome.</summary>
    public static DhtPutOutcome Ok(Id20 target) => new(DhtItemError.None, string.Empty, target);

    /// <summary>A refusal.</summary>
    public static DhtPutOutcome Refused(DhtItemError error, string message, Id20 target = default) => new(error, message, target);
}
