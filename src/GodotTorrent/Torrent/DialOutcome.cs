using GodotTorrent.Net.Handshake;

namespace GodotTorrent.Torrent;

/// <summary>How dialling a peer ended: a negotiated connection or the failure, and what it taught about MSE.</summary>
/// <param name="Connection">The connection, or null when dialling failed.</param>
/// <param name="Failure">Why it failed, or null.</param>
/// <param name="SpeaksMse">Whether the peer speaks MSE, as far as we know now (null: unknown).</param>
/// <param name="SpeaksUtp">Whether the peer answers uTP, as far as we know now (null: unknown).</param>
internal sealed record DialOutcome(NegotiatedConnection? Connection, Exception? Failure, bool? SpeaksMse, bool? SpeaksUtp);
