using GodotTorrent.Bencoding;

namespace GodotTorrent.Wire;

/// <summary>
/// One ut_metadata message: the info dictionary travels in 16 KiB pieces, asked for with
/// <see cref="MetadataMessageType.Request"/> and answered with <see cref="MetadataMessageType.Data"/>
/// or <see cref="MetadataMessageType.Reject"/>.
/// </summary>
/// <remarks>
/// BEP 9: a dictionary <c>{msg_type, piece[, total_size]}</c>, and for data the piece's raw bytes
/// right after it; every piece is 16 KiB except the last; unknown <c>msg_type</c>s are ignored.
/// </remarks>
/// <param name="Type">What the message is.</param>
/// <param name="Piece">The metadata piece it is about (0 for <see cref="MetadataMessageType.Unknown"/>).</param>
/// <param name="TotalSize">For data: the size of the whole info dictionary; otherwise 0.</param>
/// <param name="Data">For data: the piece's bytes (a slice of the parsed payload); otherwise empty.</param>
internal readonly record struct MetadataMessage(MetadataMessageType Type, int Piece, int TotalSize, ReadOnlyMemory<byte> Data)
{
    /// <summary>The name in the extension handshake's <c>m</c> dictionary.</summary>
    public const string ExtensionName = "ut_metadata";

    /// <summary>Size of every metadata piece but the last.</summary>
    public const int PieceLength = 16 * 1024;

    /// <summary>
    /// Default cap on the info dictionary's size: far above real torrents (a few hundred KiB even
    /// for huge ones), low enough that a peer's claim cannot make us allocate much.
    /// </summary>
    public const int DefaultMaxMetadataSize = 16 * 1024 * 1024;

    /// <summary>Largest dictionary part accepted; real ones are under 60 bytes.</summary>
    public const int MaxDictionaryLength = 1024;

    private static readonly BencodeLimits Limits = new()
    {
        MaxDepth = 2,
        MaxElements = 32,
        MaxStringLength = MaxDictionaryLength,
        MaxInputLength = MaxDictionaryLength + PieceLength,
    };

    /// <summary>Number of pieces an info dictionary of <paramref name="totalSize"/> bytes is sent in.</summary>
    public static int PieceCount(long totalSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(totalSize);
        return (int)((totalSize + PieceLength - 1) / PieceLength);
    }

    /// <summary>Size of piece <paramref name="piece"/> of an info dictionary of <paramref name="totalSize"/> bytes.</summary>
    public static int PieceSize(int totalSize, int piece)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(piece);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(piece, PieceCount(totalSize));
        return Math.Min(PieceLength, totalSize - (piece * PieceLength));
    }

    /// <summary>Parses a ut_metadata payload (the bytes after the extended id).</summary>
    /// <param name="payload">The payload; a data message's <see cref="Data"/> is a slice of it.</param>
    /// <param name="maxMetadataSize">Largest <c>total_size</c> accepted; also bounds piece indexes.</param>
    /// <exception cref="PeerProtocolException">
    /// <see cref="ErrorCode.InvalidExtensionMessage"/>: not a bencoded dictionary, a missing or wrong-typed
    /// field, a piece index or size out of range, or data of the wrong length.
    /// </exception>
    public static MetadataMessage Parse(ReadOnlyMemory<byte> payload, int maxMetadataSize = DefaultMaxMetadataSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMetadataSize, 1);
        if (payload.Length > Limits.MaxInputLength)
        {
            throw Invalid($"A ut_metadata message of {payload.Length} bytes is longer than a piece and its dictionary.");
        }

        BValue root;
        int consumed;
        try
        {
            root = BencodeReader.DecodePrefix(payload.Span, out consumed, Limits);
        }
        catch (BencodeException e)
        {
            throw new PeerProtocolException(ErrorCode.InvalidExtensionMessage, $"A ut_metadata message is not valid bencoding: {e.Message}", e);
        }

        if (root is not BDictionary dictionary)
        {
            throw Invalid("A ut_metadata message is not a dictionary.");
        }

        if (dictionary.Get<BInteger>("msg_type") is not { } type)
        {
            throw Invalid("A ut_metadata message has no integer msg_type.");
        }

        if (type.Value is < 0 or > 2)
        {
            return new MetadataMessage(MetadataMessageType.Unknown, 0, 0, default);
        }

        if (dictionary.Get<BInteger>("piece") is not { } pieceValue || pieceValue.Value < 0 || pieceValue.Value >= PieceCount(maxMetadataSize))
        {
            throw Invalid("A ut_metadata message has no piece index, or one past the largest metadata accepted.");
        }

        int piece = (int)pieceValue.Value;
        var kind = (MetadataMessageType)type.Value;
        if (kind != MetadataMessageType.Data)
        {
            return new MetadataMessage(kind, piece, 0, default);
        }

        if (dictionary.Get<BInteger>("total_size") is not { } total || total.Value < 1 || total.Value > maxMetadataSize)
        {
            throw Invalid($"A ut_metadata data message has no total_size, or one outside 1..{maxMetadataSize}.");
        }

        int totalSize = (int)total.Value;
        if (piece >= PieceCount(totalSize))
        {
            throw Invalid($"Metadata piece {piece} is past the end of {totalSize} bytes.");
        }

        int expected = PieceSize(totalSize, piece);
        var data = payload[consumed..];
        if (data.Length != expected)
        {
            throw Invalid($"Metadata piece {piece} carries {data.Length} bytes instead of {expected}.");
        }

        return new MetadataMessage(MetadataMessageType.Data, piece, totalSize, data);
    }

    /// <summary>The payload of a request for <paramref name="piece"/>.</summary>
    public static byte[] CreateRequest(int piece) => Header(MetadataMessageType.Request, piece, null);

    /// <summary>The payload of a reject of <paramref name="piece"/>.</summary>
    public static byte[] CreateReject(int piece) => Header(MetadataMessageType.Reject, piece, null);

    /// <summary>The payload of a data message: the dictionary, then <paramref name="data"/>.</summary>
    public static byte[] CreateData(int piece, int totalSize, ReadOnlySpan<byte> data)
    {
        if (data.Length != PieceSize(totalSize, piece))
        {
            throw new ArgumentException("The data must be exactly the piece's bytes.", nameof(data));
        }

        byte[] header = Header(MetadataMessageType.Data, piece, totalSize);
        byte[] payload = new byte[header.Length + data.Length];
        header.CopyTo(payload, 0);
        data.CopyTo(payload.AsSpan(header.Length));
        return payload;
    }

    /// <summary>Encodes this message as a payload.</summary>
    public byte[] ToBytes() => Type switch
    {
        MetadataMessageType.Request => CreateRequest(Piece),
        MetadataMessageType.Reject => CreateReject(Piece),
        MetadataMessageType.Data => CreateData(Piece, TotalSize, Data.Span),
        _ => throw new InvalidOperationException("An unknown message cannot be encoded."),
    };

    private static byte[] Header(MetadataMessageType type, int piece, int? totalSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(piece);
        var dictionary = new BDictionary();
        dictionary.Set("msg_type", new BInteger((int)type));
        dictionary.Set("piece", new BInteger(piece));
        if (totalSize is { } size)
        {
            dictionary.Set("total_size", new BInteger(size));
        }

        return BencodeWriter.Encode(dictionary);
    }

    private static PeerProtocolException Invalid(string message) => new(ErrorCode.InvalidExtensionMessage, message);
}
