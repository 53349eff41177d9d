namespace GodotTorrent.Session;

/// <summary>What the queue needs to know of one torrent to decide whether it may run.</summary>
internal readonly record struct QueueCandidate<T>(T Key, bool AutoManaged, bool Complete, bool Active, bool Slow);
