namespace GodotTorrent.Net.Utp;

/// <summary>What the session's settings say to uTP now, read at each decision so changes apply at once.</summary>
internal readonly record struct UtpPolicy(bool AcceptIncoming, TimeSpan TargetDelay);
