namespace GodotTorrent.Trackers;

/// <summary>The byte counts an announce reports (BEP 3 <c>uploaded</c>, <c>downloaded</c>, <c>left</c>).</summary>
/// <param name="Uploaded">Bytes uploaded since the torrent started (the <c>started</c> event).</param>
/// <param name="Downloaded">Bytes downloaded since the torrent started.</param>
/// <param name="Left">Bytes still missing; 0 for a seed.</param>
internal readonly record struct TransferStats(long Uploaded, long Downloaded, long Left);
