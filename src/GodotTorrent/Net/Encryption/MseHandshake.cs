using System.Buffers.Binary;
using GodotTorrent.Net.Handshake;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Net.Encryption;

/// <summary>
/// The Message Stream Encryption handshake (the MSE/PE spec as Azureus, libtorrent, Transmission
/// and aria2 implement it), both roles. Every failure is a <see cref="PeerProtocolException"/>
/// with <see cref="ErrorCode.EncryptionHandshakeFailed"/> (or, for an initiator refused before
/// any reply, <see cref="ErrorCode.EncryptionNotSupported"/>).
/// </summary>
internal static class MseHandshake
{
    /// <summary>The spec's bound on PadA to PadD.</summary>
    public const int MaxPad = 512;

    /// <summary>Our PadA and PadB are 0 to this many random bytes: enough to vary the first packet's length, cheap to send.</summary>
    public const int OurPadMax = 64;

    /// <summary>The largest initial payload we accept; peers send the 68-byte BitTorrent handshake there.</summary>
    public const int MaxInitialPayload = 1024;

    private const uint CryptoPlaintext = 0x01;
    private const uint CryptoRc4 = 0x02;
    private const int VcLength = 8;

    /// <summary>
    /// Runs side A for the torrent <paramref name="skey"/>, offering <paramref name="allowed"/>;
    /// <paramref name="initialPayload"/> (the BitTorrent handshake, or empty) goes out as IA.
    /// </summary>
    public static async ValueTask<DecoratedStream> InitiateAsync(IPeerConnectionStream stream, Id20 skey, EncryptionLevel allowed, ReadOnlyMemory<byte> initialPayload, RandomBytes random, CancellationToken cancellationToken)
    {
        if (initialPayload.Length > MaxInitialPayload)
        {
            throw new ArgumentException("The initial payload is too long.", nameof(initialPayload));
        }

        var dh = new MseKeyExchange(random);
        var reader = new MseReader(stream, initiator: true);
        await SendAsync(reader, stream, WithPad(dh.PublicKey, random), cancellationToken).ConfigureAwait(true);

        await reader.EnsureAsync(Wire.Handshake.ProtocolPrefix.Length, cancellationToken).ConfigureAwait(true);
        if (reader.Buffered.StartsWith(Wire.Handshake.ProtocolPrefix))
        {
            throw new PeerProtocolException(ErrorCode.EncryptionNotSupported, "The peer answered our MSE key with a plaintext BitTorrent handshake.");
        }

        await reader.EnsureAsync(MseKeyExchange.KeyLength, cancellationToken).ConfigureAwait(true);
        var secret = dh.SharedSecret(reader.Buffered[..MseKeyExchange.KeyLength]);
        reader.Consume(MseKeyExchange.KeyLength);

        var encryptor = Rc4.ForMse(MseHashes.KeyA(secret, skey));
        var decryptor = Rc4.ForMse(MseHashes.KeyB(secret, skey));
        uint provide = (uint)allowed & (CryptoPlaintext | CryptoRc4);
        await SendAsync(reader, stream, Step3(secret, skey, provide, initialPayload.Span, encryptor), cancellationToken).ConfigureAwait(true);

        // B's reply starts with ENCRYPT(VC) somewhere in the first 512 bytes after Yb (after PadB).
        var vc = new byte[VcLength];
        decryptor.Process(vc);
        await SynchroniseAsync(reader, vc, "the verification constant", cancellationToken).ConfigureAwait(true);

        await reader.EnsureAsync(6, cancellationToken).ConfigureAwait(true);
        var header = reader.Buffered[..6];
        decryptor.Process(header);
        uint select = BinaryPrimitives.ReadUInt32BigEndian(header);
        int padD = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        reader.Consume(6);
        if (select is not (CryptoPlaintext or CryptoRc4) || (select & provide) == 0)
        {
            throw Failed($"The peer selected crypto method 0x{select:x}, which we did not offer (0x{provide:x}).");
        }

        if (padD > MaxPad)
        {
            throw Failed($"PadD of {padD} bytes is over the limit of {MaxPad}.");
        }

        await reader.EnsureAsync(padD, cancellationToken).ConfigureAwait(true);
        decryptor.Process(reader.Buffered[..padD]);
        reader.Consume(padD);
        return Finish(stream, reader, select, decryptor, encryptor, ReadOnlySpan<byte>.Empty, skey);
    }

    /// <summary>
    /// Runs side B on a connection whose first bytes, <paramref name="prefix"/>, are already read;
    /// finds the torrent among <paramref name="torrents"/> and selects a level from <paramref name="allowed"/>.
    /// </summary>
    public static async ValueTask<DecoratedStream> RespondAsync(IPeerConnectionStream stream, ReadOnlyMemory<byte> prefix, ITorrentDirectory torrents, SkeyTable skeys, EncryptionLevel allowed, bool preferRc4, RandomBytes random, CancellationToken cancellationToken)
    {
        var reader = new MseReader(stream, initiator: false);
        reader.Preload(prefix.Span);
        await reader.EnsureAsync(MseKeyExchange.KeyLength, cancellationToken).ConfigureAwait(true);
        var dh = new MseKeyExchange(random);
        var secret = dh.SharedSecret(reader.Buffered[..MseKeyExchange.KeyLength]);
        reader.Consume(MseKeyExchange.KeyLength);
        await SendAsync(reader, stream, WithPad(dh.PublicKey, random), cancellationToken).ConfigureAwait(true);

        // A's step 3 starts with HASH('req1', S) somewhere in the first 512 bytes after Ya (after PadA).
        await SynchroniseAsync(reader, MseHashes.Req1(secret), "HASH('req1', S)", cancellationToken).ConfigureAwait(true);

        await reader.EnsureAsync(MseHashes.Length, cancellationToken).ConfigureAwait(true);
        Span<byte> req2 = stackalloc byte[MseHashes.Length];
        reader.Buffered[..MseHashes.Length].CopyTo(req2);
        reader.Consume(MseHashes.Length);
        var req3 = MseHashes.Req3(secret);
        for (int n = 0; n < req2.Length; n++)
        {
            req2[n] ^= req3[n];
        }

        if (!skeys.TryFind(new Id20(req2), torrents, out var skey))
        {
            throw Failed("The peer asked for a torrent we do not have (unknown SKEY).");
        }

        var decryptor = Rc4.ForMse(MseHashes.KeyA(secret, skey));
        var encryptor = Rc4.ForMse(MseHashes.KeyB(secret, skey));
        await reader.EnsureAsync(VcLength + 6, cancellationToken).ConfigureAwait(true);
        var header = reader.Buffered[..(VcLength + 6)];
        decryptor.Process(header);
        if (header[..VcLength].IndexOfAnyExcept((byte)0) >= 0)
        {
            throw Failed("The verification constant is wrong.");
        }

        uint provide = BinaryPrimitives.ReadUInt32BigEndian(header[VcLength..]);
        int padC = BinaryPrimitives.ReadUInt16BigEndian(header[(VcLength + 4)..]);
        reader.Consume(VcLength + 6);
        if (padC > MaxPad)
        {
            throw Failed($"PadC of {padC} bytes is over the limit of {MaxPad}.");
        }

        await reader.EnsureAsync(padC + 2, cancellationToken).ConfigureAwait(true);
        decryptor.Process(reader.Buffered[..(padC + 2)]);
        int initialLength = BinaryPrimitives.ReadUInt16BigEndian(reader.Buffered[padC..]);
        reader.Consume(padC + 2);
        if (initialLength > MaxInitialPayload)
        {
            throw Failed($"An initial payload of {initialLength} bytes is over our limit of {MaxInitialPayload}.");
        }

        uint select = Select(provide, allowed, preferRc4);
        await reader.EnsureAsync(initialLength, cancellationToken).ConfigureAwait(true);
        var initial = reader.Buffered[..initialLength];
        decryptor.Process(initial);
        var initialCopy = initial.ToArray();
        reader.Consume(initialLength);

        var reply = new byte[VcLength + 6];
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(VcLength), select);
        encryptor.Process(reply);
        await SendAsync(reader, stream, reply, cancellationToken).ConfigureAwait(true);
        return Finish(stream, reader, select, decryptor, encryptor, initialCopy, skey);
    }

    /// <summary>crypto_select: one method both sides allow; with both, <paramref name="preferRc4"/> decides.</summary>
    public static uint Select(uint provide, EncryptionLevel allowed, bool preferRc4)
    {
        uint common = provide & (uint)allowed & (CryptoPlaintext | CryptoRc4);
        return common switch
        {
            CryptoPlaintext or CryptoRc4 => common,
            CryptoPlaintext | CryptoRc4 => preferRc4 ? CryptoRc4 : CryptoPlaintext,
            _ => throw Failed($"No crypto method both sides allow (the peer offers 0x{provide:x}, we allow 0x{(uint)allowed:x})."),
        };
    }

    private static byte[] Step3(byte[] secret, Id20 skey, uint provide, ReadOnlySpan<byte> initialPayload, Rc4 encryptor)
    {
        var message = new byte[(2 * MseHashes.Length) + VcLength + 8 + initialPayload.Length];
        MseHashes.Req1(secret).CopyTo(message, 0);
        MseHashes.Req2(skey).CopyTo(message.AsSpan(MseHashes.Length));
        var req3 = MseHashes.Req3(secret);
        for (int n = 0; n < MseHashes.Length; n++)
        {
            message[MseHashes.Length + n] ^= req3[n];
        }

        var encrypted = message.AsSpan(2 * MseHashes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(encrypted[VcLength..], provide);
        // len(PadC) stays 0: the spec allows it, and every client sends it so.
        BinaryPrimitives.WriteUInt16BigEndian(encrypted[(VcLength + 6)..], (ushort)initialPayload.Length);
        initialPayload.CopyTo(encrypted[(VcLength + 8)..]);
        encryptor.Process(encrypted);
        return message;
    }

    /// <summary>Finds <paramref name="marker"/> within the first 512 + its length bytes; each byte is searched once.</summary>
    private static async ValueTask SynchroniseAsync(MseReader reader, byte[] marker, string what, CancellationToken cancellationToken)
    {
        int searched = 0;
        while (true)
        {
            int found = reader.Buffered[searched..].IndexOf(marker);
            if (found >= 0)
            {
                int at = searched + found;
                if (at > MaxPad)
                {
                    break;
                }

                reader.Consume(at + marker.Length);
                return;
            }

            searched = Math.Max(0, reader.Available - marker.Length + 1);
            if (searched > MaxPad)
            {
                break;
            }

            await reader.ReadMoreAsync(cancellationToken).ConfigureAwait(true);
        }

        throw Failed($"No {what} within {MaxPad} bytes of padding.");
    }

    private static DecoratedStream Finish(IPeerConnectionStream raw, MseReader reader, uint select, Rc4 decryptor, Rc4 encryptor, ReadOnlySpan<byte> initialPayload, Id20 skey)
    {
        bool rc4 = select == CryptoRc4;
        var rest = reader.Buffered;
        if (rc4)
        {
            decryptor.Process(rest);
        }

        // Bytes already read past the handshake (IA, or the start of the peer's messages) are replayed first.
        var pending = new byte[initialPayload.Length + rest.Length];
        initialPayload.CopyTo(pending);
        rest.CopyTo(pending.AsSpan(initialPayload.Length));
        IPeerConnectionStream stream = rc4 ? new Rc4Stream(raw, decryptor, encryptor) : raw;
        if (pending.Length > 0)
        {
            stream = new PrefixedStream(stream, pending);
        }

        return new DecoratedStream(stream, rc4 ? PeerEncryption.Rc4 : PeerEncryption.Plaintext, skey);
    }

    private static async ValueTask SendAsync(MseReader reader, IPeerConnectionStream stream, byte[] message, CancellationToken cancellationToken)
    {
        try
        {
            await stream.SendAsync(message, cancellationToken).ConfigureAwait(true);
        }
        catch (Exception e) when (StreamErrors.IsReset(e))
        {
            throw reader.Closed(e);
        }
    }

    private static byte[] WithPad(byte[] publicKey, RandomBytes random)
    {
        var message = new byte[publicKey.Length + random.NextLength(OurPadMax)];
        publicKey.CopyTo(message, 0);
        random.Fill(message.AsSpan(publicKey.Length));
        return message;
    }

    private static PeerProtocolException Failed(string reason) => new(ErrorCode.EncryptionHandshakeFailed, reason);
}
