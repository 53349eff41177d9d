namespace GodotTorrent.Bencoding;

/// <summary>
/// Reads one item of a sink's container straight from the input when it has a shape the caller
/// knows, with no decoded values: the common entry of a torrent's files list, one of hundreds of
/// thousands. It must accept only input the decoder would accept too, and take it as the decoder's
/// values would have been taken; anything else (another shape, a bound reached, a value the
/// caller would refuse) it declines with no side effect, and the decoder reads the item as usual.
/// </summary>
/// <param name="key">The item's key in a dictionary sink; null in a list sink.</param>
/// <param name="input">The whole input.</param>
/// <param name="start">Where the item starts.</param>
/// <param name="budget">What the item may consume.</param>
/// <param name="end">Where the item ends, when taken.</param>
/// <param name="values">How many values (keys included) the item held, when taken.</param>
/// <returns>True when the item was read and taken.</returns>
internal delegate bool BencodeItemReader(BString? key, ReadOnlySpan<byte> input, int start, BencodeItemBudget budget, out int end, out int values);
