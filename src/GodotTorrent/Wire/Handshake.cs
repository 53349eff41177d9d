using System.Buffers.Binary;

namespace GodotTorrent.Wire;

/// <summary>
/// The 68-byte BitTorrent handshake (BEP 3): <c>19</c>, <c>"BitTorrent protocol"</c>, 8 reserved
/// bytes, the 20-byte info-hash (a v2 hash truncated, BEP 52) and the sender's peer id.
/// </summary>
/// <param name="Reserved">The extension bits the sender announces.</param>
/// <param name="InfoHash">The torrent the sender wants.</param>
/// <param name="PeerId">The sender's peer id.</param>
internal readonly record struct Handshake(HandshakeReserved Reserved, Id20 InfoHash, PeerId PeerId)
{
    /// <summary>Bytes of a whole handshake.</summary>
    public const int Length = 68;

    /// <summary>
    /// Bytes up to and including the info-hash: what a receiver needs to pick the torrent before
    /// it answers (the peer id may follow later).
    /// </summary>
    public const int HeaderLength = 48;

    /// <summary>The first 20 bytes of every plaintext handshake: what tells it from MSE.</summary>
    public static ReadOnlySpan<byte> ProtocolPrefix => "\u0013BitTorrent protocol"u8;

    /// <summary>Creates a handshake for the torrent with the given wire info-hash (20 bytes).</summary>
    public static Handshake Create(HandshakeReserved reserved, ReadOnlySpan<byte> infoHash, PeerId peerId) =>
        new(reserved, new Id20(infoHash), peerId);

    /// <summary>Parses the first <see cref="Length"/> bytes of <paramref name="data"/>.</summary>
    /// <exception cref="PeerProtocolException"><see cref="ErrorCode.InvalidHandshake"/>: too short or not the BitTorrent protocol.</exception>
    public static Handshake Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < Length)
        {
            throw new PeerProtocolException(ErrorCode.InvalidHandshake, $"A handshake has {Length} bytes, got {data.Length}.");
        }

        ParseHeader(data, out var reserved, out var infoHash);
        return new Handshake(reserved, infoHash, new PeerId(data.Slice(HeaderLength, PeerId.Length)));
    }

    /// <summary>The truncated v2 hash of a hybrid torrent named by its v1 hash (BEP 52's upgrade), else null.</summary>
    public static Id20? UpgradedHash(Metainfo.InfoHashes hashes, Id20 wireHash) =>
        hashes is { V1: { } v1, V2: { } v2 } && new Id20(v1.Span) == wireHash ? new Id20(v2.Truncated) : null;

    /// <summary>Parses the first <see cref="HeaderLength"/> bytes: protocol name, reserved bytes, info-hash.</summary>
    /// <exception cref="PeerProtocolException"><see cref="ErrorCode.InvalidHandshake"/>: too short or not the BitTorrent protocol.</exception>
    public static void ParseHeader(ReadOnlySpan<byte> data, out HandshakeReserved reserved, out Id20 infoHash)
    {
        if (data.Length < HeaderLength)
        {
            throw new PeerProtocolException(ErrorCode.InvalidHandshake, $"A handshake header has {HeaderLength} bytes, got {data.Length}.");
        }

        if (!data.StartsWith(ProtocolPrefix))
        {
            throw new PeerProtocolException(ErrorCode.InvalidHandshake, "The handshake does not name the BitTorrent protocol (possibly encrypted or another protocol).");
        }

        reserved = new HandshakeReserved(BinaryPrimitives.ReadUInt64BigEndian(data[20..]));
        infoHash = new Id20(data.Slice(28, Id20.Length));
    }

    /// <summary>Writes the 68 bytes to the start of <paramref name="destination"/>; returns <see cref="Length"/>.</summary>
    /// <exception cref="ArgumentException">The destination is shorter than 68 bytes.</exception>
    public int WriteTo(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"A handshake needs {Length} bytes.", nameof(destination));
        }

        ProtocolPrefix.CopyTo(destination);
        BinaryPrimitives.WriteUInt64BigEndian(destination[20..], Reserved.Value);
        InfoHash.CopyTo(destination[28..]);
        PeerId.CopyTo(destination[HeaderLength..]);
        return Length;
    }
}
