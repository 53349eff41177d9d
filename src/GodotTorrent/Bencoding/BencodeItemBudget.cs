namespace GodotTorrent.Bencoding;

/// <summary>
/// What a <see cref="BencodeItemReader"/> may still consume without the decoder refusing the
/// input: past either bound it must decline, so the decoder reaches the limit and reports it.
/// </summary>
/// <param name="Values">Values (keys included) left before <see cref="BencodeLimits.MaxElements"/>.</param>
/// <param name="Depth">Containers that may still open, one inside the other, before <see cref="BencodeLimits.MaxDepth"/>.</param>
/// <param name="MaxStringLength">The longest string accepted.</param>
internal readonly record struct BencodeItemBudget(int Values, int Depth, int MaxStringLength);
