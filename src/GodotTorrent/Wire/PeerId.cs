namespace GodotTorrent.Wire;

/// <summary>
/// A 20-byte peer id (BEP 3), held by value. Ours is Azureus-style (BEP 20): a prefix such as
/// <c>-GT0100-</c> naming client and version, then random characters.
/// </summary>
internal readonly struct PeerId : IEquatable<PeerId>
{
    /// <summary>Number of bytes.</summary>
    public const int Length = Id20.Length;

    /// <summary>Our Azureus-style prefix: Godot-Torrent 0.1.0.</summary>
    public const string DefaultPrefix = "-GT0100-";

    /// <summary>Longest prefix accepted, so at least 8 random characters remain.</summary>
    public const int MaxPrefixLength = 12;

    // Letters and digits only: the id stays printable and needs no escaping in tracker URLs.
    private const string RandomAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly Id20 _bytes;

    /// <summary>Copies exactly 20 bytes.</summary>
    /// <exception cref="ArgumentException">The span is not 20 bytes long.</exception>
    public PeerId(ReadOnlySpan<byte> bytes) => _bytes = new Id20(bytes);

    /// <summary>The client name and version this id announces (see <see cref="PeerClientName"/>).</summary>
    public string ClientName
    {
        get
        {
            Span<byte> bytes = stackalloc byte[Length];
            CopyTo(bytes);
            return PeerClientName.FromPeerId(bytes);
        }
    }

    /// <summary>
    /// A new id: <paramref name="prefix"/> (printable ASCII, 1 to <see cref="MaxPrefixLength"/>
    /// characters) followed by random letters and digits.
    /// </summary>
    /// <exception cref="ArgumentException">The prefix is empty, too long or not printable ASCII.</exception>
    public static PeerId Generate(string prefix = DefaultPrefix) => Generate(prefix, null);

    /// <summary>A new id whose random part comes from <paramref name="random"/> when given (seeded simulations).</summary>
    internal static PeerId Generate(string prefix, Random? random)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length is 0 or > MaxPrefixLength)
        {
            throw new ArgumentException($"A peer id prefix has 1 to {MaxPrefixLength} characters.", nameof(prefix));
        }

        Span<byte> bytes = stackalloc byte[Length];
        for (int i = 0; i < prefix.Length; i++)
        {
            char c = prefix[i];
            if (c is < ' ' or > '~')
            {
                throw new ArgumentException("A peer id prefix is printable ASCII.", nameof(prefix));
            }

            bytes[i] = (byte)c;
        }

        // Not the OS's cryptographic generator: the id only tells sessions apart and every peer and
        // tracker sees it in the clear, while that generator's first use loads the crypto provider
        // (a tenth of a cold session start).
        random ??= Random.Shared;
        for (int i = prefix.Length; i < Length; i++)
        {
            bytes[i] = (byte)RandomAlphabet[random.Next(RandomAlphabet.Length)];
        }

        return new PeerId(bytes);
    }

    /// <summary>Writes the 20 bytes to the start of <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination) => _bytes.CopyTo(destination);

    /// <summary>The bytes as a new array.</summary>
    public byte[] ToArray() => _bytes.ToArray();

    /// <summary>True when <paramref name="bytes"/> holds exactly this id.</summary>
    public bool Equals(ReadOnlySpan<byte> bytes) => _bytes.Equals(bytes);

    public bool Equals(PeerId other) => _bytes == other._bytes;

    public override bool Equals(object? obj) => obj is PeerId other && Equals(other);

    public override int GetHashCode() => _bytes.GetHashCode();

    /// <summary>Printable bytes as they are, others as <c>\xNN</c> (as libtorrent logs ids).</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Length];
        CopyTo(bytes);
        var text = new System.Text.StringBuilder(Length);
        foreach (byte b in bytes)
        {
            if (b is >= 0x20 and < 0x7F and not (byte)'\\')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
        }

        return text.ToString();
    }

    public static bool operator ==(PeerId left, PeerId right) => left.Equals(right);

    public static bool operator !=(PeerId left, PeerId right) => !left.Equals(right);
}
