namespace GodotTorrent.Bencoding;

/// <summary>A bencoded 64-bit integer.</summary>
internal sealed class BInteger(long value) : BValue, IEquatable<BInteger>
{
    public long Value { get; } = value;

    public bool Equals(BInteger? other) => other is not null && other.Value == Value;

    public override bool Equals(object? obj) => Equals(obj as BInteger);

    public override int GetHashCode() => Value.GetHashCode();

    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
