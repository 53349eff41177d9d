namespace GodotTorrent.Wire;

/// <summary>An assembled info dictionary that failed the info-hash check, and who sent its pieces.</summary>
/// <param name="MetadataSize">The size the failed attempt was for.</param>
/// <param name="Contributors">Every peer that sent at least one of its pieces, in first-piece order.</param>
/// <param name="Culprit">
/// The peer proven to have sent bad data: set only when it was the only contributor. It is no
/// longer asked; the engine should disconnect (and may ban) it.
/// </param>
internal sealed record MetadataHashFailure(int MetadataSize, IReadOnlyList<int> Contributors, int? Culprit);
