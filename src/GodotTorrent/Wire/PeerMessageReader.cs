using System.Buffers;
using System.Buffers.Binary;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Wire;

/// <summary>
/// Splits a peer's byte stream into messages and checks each against the protocol: length
/// prefixes against <see cref="PeerWireLimits"/> (before the body has even arrived), exact
/// lengths of fixed-size messages, piece indices and blocks against the torrent's geometry,
/// bitfield length and spare bits, and messages the negotiated extensions do not allow. Any
/// violation throws <see cref="PeerProtocolException"/>. One reader per connection, used from
/// the engine loop only; reading allocates nothing.
/// </summary>
/// <remarks>
/// Ordering rule: a bitfield, have all or have none must come before any other message except
/// keep-alive, port and extended ones (BEP 3, BEP 6; extension handshakes and DHT ports are sent
/// before the bitfield by some clients), and only once.
/// </remarks>
internal sealed class PeerMessageReader
{
    // The most bytes any fixed-size message takes, length prefix included (request: 4 + 13).
    private const int MaxHeaderLength = 17;

    private readonly PeerWireLimits _limits;
    private readonly uint _maxFrameLength;
    private Func<int, int>? _pieceSize;
    private bool _pastBitfieldPoint;

    /// <summary>Creates a reader; the piece geometry may be set later (a magnet link has none yet).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is out of range.</exception>
    public PeerMessageReader(PeerWireLimits? limits = null)
    {
        _limits = limits ?? PeerWireLimits.Default;
        _limits.Validate();
        _maxFrameLength = (uint)Math.Max(_limits.MaxLargeMessageLength, 9 + _limits.MaxBlockLength);
    }

    /// <summary>Number of pieces, or -1 while it is unknown (indices and bitfields then go unchecked).</summary>
    public int PieceCount { get; private set; } = -1;

    /// <summary>The fast extension (BEP 6) was negotiated; its messages are refused otherwise.</summary>
    public bool FastExtension { get; set; }

    /// <summary>The extension protocol (BEP 10) was negotiated; extended messages are refused otherwise.</summary>
    public bool ExtensionProtocol { get; set; }

    /// <summary>Checks indices and blocks against <paramref name="info"/>'s pieces from now on.</summary>
    public void SetPieceGeometry(TorrentInfo info) => SetPieceGeometry(info.PieceCount, info.GetPieceSize);

    /// <summary>Checks indices and blocks against <paramref name="pieceCount"/> pieces whose sizes <paramref name="pieceSize"/> gives.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The piece count is negative.</exception>
    public void SetPieceGeometry(int pieceCount, Func<int, int> pieceSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pieceCount);
        ArgumentNullException.ThrowIfNull(pieceSize);
        PieceCount = pieceCount;
        _pieceSize = pieceSize;
    }

    /// <summary>
    /// Reads one message from an array or pooled buffer. Returns false, consuming nothing, when
    /// <paramref name="buffer"/> does not yet hold a whole message.
    /// </summary>
    /// <exception cref="PeerProtocolException">The bytes break the protocol; the connection must be closed.</exception>
    public bool TryRead(ReadOnlyMemory<byte> buffer, out PeerMessage message, out int consumed)
    {
        var sequence = new ReadOnlySequence<byte>(buffer);
        if (TryRead(ref sequence, out message))
        {
            consumed = buffer.Length - (int)sequence.Length;
            return true;
        }

        consumed = 0;
        return false;
    }

    /// <summary>
    /// Reads one message from the start of <paramref name="buffer"/> (a pipe's read result) and
    /// moves <paramref name="buffer"/> past it. Returns false, leaving it alone, when it does not
    /// yet hold a whole message; a length prefix over the limit throws as soon as it is seen.
    /// </summary>
    /// <exception cref="PeerProtocolException">The bytes break the protocol; the connection must be closed.</exception>
    public bool TryRead(ref ReadOnlySequence<byte> buffer, out PeerMessage message)
    {
        message = default;
        long available = buffer.Length;
        if (available < 4)
        {
            return false;
        }

        Span<byte> scratch = stackalloc byte[MaxHeaderLength];
        int headLength = (int)Math.Min(available, MaxHeaderLength);
        scoped ReadOnlySpan<byte> head;
        if (buffer.FirstSpan.Length >= headLength)
        {
            head = buffer.FirstSpan[..headLength];
        }
        else
        {
            buffer.Slice(0, headLength).CopyTo(scratch);
            head = scratch[..headLength];
        }

        uint length = BinaryPrimitives.ReadUInt32BigEndian(head);
        if (length == 0)
        {
            message = new PeerMessage(PeerMessageType.KeepAlive);
            buffer = buffer.Slice(4);
            return true;
        }

        if (length > _maxFrameLength)
        {
            throw Violation(ErrorCode.MessageTooLarge, $"A message of {length} bytes exceeds the limit of {_maxFrameLength}.");
        }

        if (head.Length < 5)
        {
            return false;
        }

        var type = (PeerMessageType)head[4];
        CheckLength(type, (int)length);
        if (available < 4 + length)
        {
            return false;
        }

        message = Decode(type, (int)length, head[5..], buffer);
        buffer = buffer.Slice(4 + length);
        return true;
    }

    private static PeerProtocolException Violation(ErrorCode code, string message) => new(code, message);

    private static void Exact(PeerMessageType type, int length, int expected)
    {
        if (length != expected)
        {
            throw Violation(ErrorCode.InvalidMessage, $"A {type} message has {expected} bytes, not {length}.");
        }
    }

    // Checked as soon as the id has arrived, so a peer cannot make us buffer a bad frame.
    private void CheckLength(PeerMessageType type, int length)
    {
        switch (type)
        {
            case PeerMessageType.Choke or PeerMessageType.Unchoke or PeerMessageType.Interested or PeerMessageType.NotInterested
                or PeerMessageType.HaveAll or PeerMessageType.HaveNone:
                Exact(type, length, 1);
                break;
            case PeerMessageType.Have or PeerMessageType.Suggest or PeerMessageType.AllowedFast:
                Exact(type, length, 5);
                break;
            case PeerMessageType.Request or PeerMessageType.Cancel or PeerMessageType.Reject:
                Exact(type, length, 13);
                break;
            case PeerMessageType.Port:
                Exact(type, length, 3);
                break;
            case PeerMessageType.Piece:
                if (length < 9)
                {
                    throw Violation(ErrorCode.InvalidMessage, $"A piece message has at least 9 bytes, not {length}.");
                }

                if (length - 9 > _limits.MaxBlockLength)
                {
                    throw Violation(ErrorCode.MessageTooLarge, $"A block of {length - 9} bytes exceeds the limit of {_limits.MaxBlockLength}.");
                }

                break;
            case PeerMessageType.HashRequest or PeerMessageType.HashReject:
                Exact(type, length, 1 + HashRequest.EncodedLength);
                break;
            case PeerMessageType.Hashes:
                // BEP 52: the request's fields, then whole 32-byte hashes; the count is checked against the request later.
                if (length < 1 + HashRequest.EncodedLength || (length - 1 - HashRequest.EncodedLength) % MerkleTree.HashSize != 0)
                {
                    throw Violation(ErrorCode.InvalidMessage, $"A hashes message of {length} bytes is not 49 plus whole hashes.");
                }

                goto default;
            case PeerMessageType.Extended:
                if (length < 2)
                {
                    throw Violation(ErrorCode.InvalidMessage, "An extended message has no extended id.");
                }

                goto default;
            default:
                if (length > _limits.MaxLargeMessageLength)
                {
                    throw Violation(ErrorCode.MessageTooLarge, $"A {type} message of {length} bytes exceeds the limit of {_limits.MaxLargeMessageLength}.");
                }

                break;
        }
    }

    private PeerMessage Decode(PeerMessageType type, int length, ReadOnlySpan<byte> body, ReadOnlySequence<byte> buffer)
    {
        switch (type)
        {
            case PeerMessageType.Choke or PeerMessageType.Unchoke or PeerMessageType.Interested or PeerMessageType.NotInterested:
                PassBitfieldPoint();
                return new PeerMessage(type);
            case PeerMessageType.Have:
                PassBitfieldPoint();
                return new PeerMessage(type, index: CheckIndex(type, body));
            case PeerMessageType.Suggest or PeerMessageType.AllowedFast:
                RequireFast(type);
                PassBitfieldPoint();
                return new PeerMessage(type, index: CheckIndex(type, body));
            case PeerMessageType.Request or PeerMessageType.Cancel or PeerMessageType.Reject:
            {
                if (type == PeerMessageType.Reject)
                {
                    RequireFast(type);
                }

                PassBitfieldPoint();
                int index = CheckIndex(type, body);
                uint begin = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                uint blockLength = BinaryPrimitives.ReadUInt32BigEndian(body[8..]);
                if (blockLength == 0 || blockLength > (uint)_limits.MaxRequestLength)
                {
                    throw Violation(ErrorCode.InvalidBlock, $"A {type} for {blockLength} bytes is outside 1 to {_limits.MaxRequestLength}.");
                }

                CheckBlock(type, index, begin, blockLength);
                return new PeerMessage(type, index, (int)begin, (int)blockLength);
            }

            case PeerMessageType.Piece:
            {
                PassBitfieldPoint();
                int index = CheckIndex(type, body);
                uint begin = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
                int blockLength = length - 9;
                if (blockLength == 0)
                {
                    throw Violation(ErrorCode.InvalidBlock, "A piece message carries no data.");
                }

                CheckBlock(type, index, begin, (uint)blockLength);
                return new PeerMessage(type, index, (int)begin, blockLength, payload: buffer.Slice(13, blockLength));
            }

            case PeerMessageType.Bitfield:
            {
                // BEP 3 says "only as the first message", but aria2 also sends a bitfield later, in
                // place of many haves (and have-all once complete): tolerated, as libtorrent does.
                PassBitfieldPoint();
                var bits = buffer.Slice(5, length - 1);
                CheckBitfield(bits);
                return new PeerMessage(type, payload: bits);
            }

            case PeerMessageType.HaveAll:
                RequireFast(type);
                PassBitfieldPoint();
                return new PeerMessage(type);
            case PeerMessageType.HaveNone:
                RequireFast(type);
                BitfieldPoint(type);
                return new PeerMessage(type);
            case PeerMessageType.Port:
                return new PeerMessage(type, port: BinaryPrimitives.ReadUInt16BigEndian(body));
            case PeerMessageType.Extended:
                if (!ExtensionProtocol)
                {
                    throw Violation(ErrorCode.UnexpectedMessage, "An extended message, but the extension protocol was not negotiated.");
                }

                return new PeerMessage(type, extendedId: body[0], payload: buffer.Slice(6, length - 2));
            case PeerMessageType.HashRequest or PeerMessageType.Hashes or PeerMessageType.HashReject:
                // Like extended messages, BEP 52's may come before the bitfield.
                return new PeerMessage(type, payload: buffer.Slice(5, length - 1));
            default:
                // BEP 3: unknown messages are ignored; the caller sees the id and body.
                return new PeerMessage(type, payload: buffer.Slice(5, length - 1));
        }
    }

    private void RequireFast(PeerMessageType type)
    {
        // BEP 6: without the fast extension these messages must close the connection.
        if (!FastExtension)
        {
            throw Violation(ErrorCode.UnexpectedMessage, $"A {type} message, but the fast extension was not negotiated.");
        }
    }

    private void PassBitfieldPoint() => _pastBitfieldPoint = true;

    private void BitfieldPoint(PeerMessageType type)
    {
        if (_pastBitfieldPoint)
        {
            throw Violation(ErrorCode.UnexpectedMessage, $"A {type} message is allowed only as the first message.");
        }

        _pastBitfieldPoint = true;
    }

    private int CheckIndex(PeerMessageType type, ReadOnlySpan<byte> body)
    {
        uint index = BinaryPrimitives.ReadUInt32BigEndian(body);
        if (PieceCount >= 0 ? index >= (uint)PieceCount : index > int.MaxValue)
        {
            throw Violation(ErrorCode.InvalidPieceIndex, $"A {type} message names piece {index} of {PieceCount}.");
        }

        return (int)index;
    }

    private void CheckBlock(PeerMessageType type, int index, uint begin, uint blockLength)
    {
        long pieceSize = _pieceSize is null ? int.MaxValue : _pieceSize(index);
        if ((long)begin + blockLength > pieceSize)
        {
            throw Violation(ErrorCode.InvalidBlock, $"A {type} for {begin}+{blockLength} runs past the end of piece {index} ({pieceSize} bytes).");
        }
    }

    private void CheckBitfield(ReadOnlySequence<byte> bits)
    {
        if (PieceCount < 0)
        {
            return;
        }

        int expected = (PieceCount + 7) / 8;
        if (bits.Length != expected)
        {
            throw Violation(ErrorCode.InvalidBitfield, $"A bitfield of {PieceCount} pieces has {expected} bytes, not {bits.Length}.");
        }

        int spare = (expected * 8) - PieceCount;
        if (spare > 0)
        {
            byte last = bits.Slice(bits.Length - 1).FirstSpan[0];
            if ((last & ((1 << spare) - 1)) != 0)
            {
                throw Violation(ErrorCode.InvalidBitfield, "A bitfield sets bits past the last piece.");
            }
        }
    }
}
