namespace GodotTorrent.Dht;

/// <summary>DHT counters since the session started.</summary>
internal readonly record struct DhtStatistics(
    int Nodes,
    int Nodes6,
    int ActiveLookups,
    long LookupsStarted,
    long QueriesReceived,
    long QueriesSent,
    long BytesReceived,
    long BytesSent,
    long PacketsDropped,
    int InfoHashesStored);
