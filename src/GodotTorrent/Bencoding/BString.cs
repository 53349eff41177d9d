using System.Text;

namespace GodotTorrent.Bencoding;

/// <summary>A bencoded byte string. Not necessarily text: piece hashes and compact peers are binary.</summary>
internal sealed class BString : BValue, IEquatable<BString>
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public BString(ReadOnlyMemory<byte> bytes) => Bytes = bytes;

    public BString(string text) => Bytes = Encoding.UTF8.GetBytes(text);

    public ReadOnlyMemory<byte> Bytes { get; }

    public ReadOnlySpan<byte> Span => Bytes.Span;

    /// <summary>The bytes as UTF-8 text; invalid sequences become U+FFFD.</summary>
    public string Text => Encoding.UTF8.GetString(Bytes.Span);

    /// <summary>True when the bytes are valid UTF-8 (torrent paths that are not fall back to <c>path.utf-8</c> or get escaped).</summary>
    public bool TryGetStrictText(out string text)
    {
        try
        {
            text = StrictUtf8.GetString(Bytes.Span);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }

    public bool Equals(BString? other) => other is not null && other.Span.SequenceEqual(Span);

    public override bool Equals(object? obj) => Equals(obj as BString);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Span);
        return hash.ToHashCode();
    }

    public override string ToString() => Text;
}
