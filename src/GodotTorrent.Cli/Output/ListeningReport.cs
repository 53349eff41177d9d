namespace GodotTorrent.Cli.Output;

/// <summary>The first JSON line of <c>download</c> and <c>seed</c>: <c>{"event":"listening","port":N,"addresses":[...]}</c>.</summary>
internal sealed record ListeningReport(string Event, int Port, IReadOnlyList<string> Addresses);
