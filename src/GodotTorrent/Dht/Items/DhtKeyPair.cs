using System.Globalization;
using System.Text;

namespace GodotTorrent.Dht.Items;

/// <summary>
/// An Ed25519 key pair for signing BEP 44 mutable items (a BEP 46 publisher's identity): the
/// 32-byte seed and its public key.
/// </summary>
/// <remarks>
/// The file form (<see cref="ToFileText"/>, written by <c>gdtorrent keygen</c>) is three lines of
/// ASCII: <c>gdtorrent-dht-key 1</c>, <c>seed &lt;64 hex digits&gt;</c>,
/// <c>public &lt;64 hex digits&gt;</c>. The public key line lets a reader check the file was not
/// damaged, and a person see whose key it is without tools. The seed is the secret.
/// </remarks>
internal sealed class DhtKeyPair
{
    /// <summary>The first line of a key file, with the format's version.</summary>
    public const string FileHeader = "gdtorrent-dht-key 1";

    /// <summary>The largest key file <see cref="Load"/> reads: the format needs under 200 bytes.</summary>
    public const int MaxFileLength = 4096;

    private readonly byte[] _seed;
    private readonly byte[] _publicKey;

    private DhtKeyPair(byte[] seed, byte[] publicKey)
    {
        _seed = seed;
        _publicKey = publicKey;
    }

    /// <summary>The 32-byte secret seed.</summary>
    public ReadOnlySpan<byte> Seed => _seed;

    /// <summary>The 32-byte public key.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The public key as 64 lower-case hex digits (as in a BEP 46 magnet).</summary>
    public string PublicKeyHex => Convert.ToHexString(_publicKey).ToLowerInvariant();

    /// <summary>A new key pair from a random seed.</summary>
    public static DhtKeyPair Generate() => FromSeed(Ed25519.NewSeed());

    /// <summary>The key pair of <paramref name="seed"/> (32 bytes).</summary>
    public static DhtKeyPair FromSeed(ReadOnlySpan<byte> seed) => new(seed.ToArray(), Ed25519.PublicKeyFromSeed(seed));

    /// <summary>The 64-byte expanded secret libtorrent's <c>dht_put_mutable_item</c> takes.</summary>
    public byte[] ExpandedSecret() => Ed25519.ExpandSecret(_seed);

    /// <summary>Signs <paramref name="message"/>.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => Ed25519.Sign(_seed, _publicKey, message);

    /// <summary>The file form described on the type.</summary>
    public string ToFileText() => string.Create(
        CultureInfo.InvariantCulture,
        $"{FileHeader}\nseed {Convert.ToHexString(_seed).ToLowerInvariant()}\npublic {PublicKeyHex}\n");

    /// <summary>Reads the file form; line ends may be LF or CRLF.</summary>
    /// <exception cref="TorrentFormatException"><see cref="ErrorCode.InvalidKeyFile"/>: the text is not a key file, or its public key does not match its seed.</exception>
    public static DhtKeyPair Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxFileLength)
        {
            throw Invalid($"A key file is at most {MaxFileLength} bytes.");
        }

        string[] lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        if (lines.Length != 3 || lines[0] != FileHeader)
        {
            throw Invalid($"A key file is three lines, the first '{FileHeader}'.");
        }

        byte[] seed = ReadHexLine(lines[1], "seed ");
        byte[] publicKey = ReadHexLine(lines[2], "public ");
        var pair = FromSeed(seed);
        if (!pair.PublicKey.SequenceEqual(publicKey))
        {
            throw Invalid("The key file's public key is not the one its seed gives: the file is damaged.");
        }

        return pair;
    }

    /// <summary>Reads a key file.</summary>
    /// <exception cref="TorrentFormatException"><see cref="ErrorCode.InvalidKeyFile"/>: as <see cref="Parse"/>, or the file is too large.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DhtKeyPair Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length > MaxFileLength)
        {
            throw Invalid($"A key file is at most {MaxFileLength} bytes.");
        }

        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new TorrentFormatException(ErrorCode.InvalidKeyFile, "A key file is ASCII text.", e.Index, e);
        }

        return Parse(text);
    }

    /// <summary>Writes the key file, refusing to replace an existing one unless <paramref name="overwrite"/>.</summary>
    /// <exception cref="IOException">The file exists (and <paramref name="overwrite"/> is false) or cannot be written.</exception>
    public void Save(string path, bool overwrite)
    {
        var options = new FileStreamOptions
        {
            Mode = overwrite ? FileMode.Create : FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            // The seed is a secret: readable by its owner only, where the system has modes.
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.ASCII.GetBytes(ToFileText()));
    }

    private static byte[] ReadHexLine(string line, string prefix)
    {
        if (!line.StartsWith(prefix, StringComparison.Ordinal)
            || line.Length != prefix.Length + (2 * Ed25519.SeedLength)
            || !line[prefix.Length..].All(char.IsAsciiHexDigit))
        {
            throw Invalid($"A key file's '{prefix.TrimEnd()}' line is the word and {2 * Ed25519.SeedLength} hex digits.");
        }

        return Convert.FromHexString(line.AsSpan(prefix.Length));
    }

    private static TorrentFormatException Invalid(string message) => new(ErrorCode.InvalidKeyFile, message);
}
