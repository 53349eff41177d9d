using System.Buffers;

namespace GodotTorrent.Wire;

/// <summary>
/// One decoded peer message. Which fields mean something depends on <see cref="Type"/>; the
/// payload is a slice of the reader's input, valid only until that buffer is released, so a
/// piece block must be copied (into the caller's pooled block buffer) before the next read.
/// </summary>
internal readonly struct PeerMessage
{
    public PeerMessage(PeerMessageType type, int index = 0, int begin = 0, int length = 0, ushort port = 0, byte extendedId = 0, ReadOnlySequence<byte> payload = default)
    {
        Type = type;
        Index = index;
        Begin = begin;
        Length = length;
        Port = port;
        ExtendedId = extendedId;
        Payload = payload;
    }

    /// <summary>What the message is; an id the reader does not know arrives as its raw value.</summary>
    public PeerMessageType Type { get; }

    /// <summary>The piece index of have, request, piece, cancel, suggest, reject and allowed fast.</summary>
    public int Index { get; }

    /// <summary>The byte offset in the piece of request, piece, cancel and reject.</summary>
    public int Begin { get; }

    /// <summary>The block length of request, cancel and reject; the block's length for piece.</summary>
    public int Length { get; }

    /// <summary>The DHT port of a port message.</summary>
    public ushort Port { get; }

    /// <summary>The extended message id (0 is the extension handshake, BEP 10).</summary>
    public byte ExtendedId { get; }

    /// <summary>
    /// The bitfield's bytes, the piece's block, the extended message after its id, or an unknown
    /// message's body; empty otherwise. Usually one segment (<c>Payload.FirstSpan</c>).
    /// </summary>
    public ReadOnlySequence<byte> Payload { get; }

    /// <inheritdoc/>
    public override string ToString() => Type switch
    {
        PeerMessageType.Have or PeerMessageType.Suggest or PeerMessageType.AllowedFast => $"{Type} {Index}",
        PeerMessageType.Request or PeerMessageType.Cancel or PeerMessageType.Reject or PeerMessageType.Piece => $"{Type} {Index}:{Begin}+{Length}",
        PeerMessageType.Port => $"{Type} {Port}",
        PeerMessageType.Extended => $"{Type} #{ExtendedId} ({Payload.Length} bytes)",
        PeerMessageType.Bitfield => $"{Type} ({Payload.Length} bytes)",
        _ => Type.ToString(),
    };
}
