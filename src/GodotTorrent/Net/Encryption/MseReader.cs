using GodotTorrent.Wire;

namespace GodotTorrent.Net.Encryption;

/// <summary>
/// Reads an MSE handshake from the raw stream into one fixed buffer: the handshake never holds
/// more than <see cref="Capacity"/> bytes, whatever the peer sends. Bytes read beyond the
/// handshake stay buffered and are handed on with the stream.
/// </summary>
internal sealed class MseReader(IPeerConnectionStream stream, bool initiator)
{
    /// <summary>Yb or Ya + the largest pad + the rest of a step; IA is capped to fit.</summary>
    public const int Capacity = 2048;

    private readonly byte[] _buffer = new byte[Capacity];
    private int _start;
    private int _end;

    /// <summary>Total bytes received from the peer (for tests of the bound).</summary>
    public long Received { get; private set; }

    public int Available => _end - _start;

    /// <summary>The unconsumed bytes.</summary>
    public Span<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    public void Consume(int count) => _start += count;

    /// <summary>Takes bytes the negotiator already read from the stream as the start of the handshake.</summary>
    public void Preload(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_buffer.AsSpan(_end));
        _end += bytes.Length;
        Received += bytes.Length;
    }

    /// <summary>Waits until at least <paramref name="count"/> bytes are buffered.</summary>
    public async ValueTask EnsureAsync(int count, CancellationToken cancellationToken)
    {
        while (Available < count)
        {
            await ReadMoreAsync(cancellationToken).ConfigureAwait(true);
        }
    }

    /// <summary>Reads what the peer has sent (at least one byte) after what is buffered.</summary>
    public async ValueTask ReadMoreAsync(CancellationToken cancellationToken)
    {
        if (_end == _buffer.Length)
        {
            if (_start == 0)
            {
                throw new PeerProtocolException(ErrorCode.EncryptionHandshakeFailed, "The MSE handshake is longer than any valid one.");
            }

            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        int read;
        try
        {
            read = await stream.ReceiveAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(true);
        }
        catch (Exception e) when (StreamErrors.IsReset(e))
        {
            throw Closed(e);
        }

        if (read == 0)
        {
            throw Closed(null);
        }

        _end += read;
        Received += read;
    }

    /// <summary>The error for a connection that closed or broke now: see the class comment for which code.</summary>
    public PeerProtocolException Closed(Exception? inner)
    {
        // An initiator that has not seen one byte of Yb was most likely refused by a peer
        // that does not speak MSE: the caller may retry in plaintext.
        if (initiator && Received == 0)
        {
            return new PeerProtocolException(ErrorCode.EncryptionNotSupported, "The peer closed the connection on our MSE key: it does not seem to speak MSE.", inner);
        }

        return new PeerProtocolException(ErrorCode.EncryptionHandshakeFailed, "The peer closed the connection during the MSE handshake.", inner);
    }
}
