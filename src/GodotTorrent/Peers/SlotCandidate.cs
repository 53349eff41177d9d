namespace GodotTorrent.Peers;

/// <summary>What <see cref="SlotEviction"/> weighs of one open connection, gathered on the engine loop.</summary>
/// <param name="Id">The connection's key.</param>
/// <param name="HeardFrom">The peer sent a message after its handshake (keep-alives do not count).</param>
/// <param name="Interested">Either side is interested in the other.</param>
/// <param name="MovingData">Payload moved either way within the last few seconds.</param>
/// <param name="UselessSeed">The peer is a seed and so are we.</param>
/// <param name="LastUseful">When payload last moved or either side was last interested (the connection time if never).</param>
internal readonly record struct SlotCandidate(
    int Id,
    bool HeardFrom,
    bool Interested,
    bool MovingData,
    bool UselessSeed,
    DateTimeOffset LastUseful);
