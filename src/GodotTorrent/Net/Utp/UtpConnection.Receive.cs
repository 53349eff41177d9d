using System.Net.Sockets;

namespace GodotTorrent.Net.Utp;

internal sealed partial class UtpConnection
{
    /// <summary>In-order packets we may leave unacked until the socket's batch ends.</summary>
    private const int AckEvery = 16;

    /// <summary>Unread bytes that wake a waiting reader at once rather than at the end of the batch.</summary>
    private const int WakeReaderAt = 64 * 1024;

    private readonly DelayHistory _delays = new();
    private readonly UtpReorderBuffer _reorder = new();
    private ushort _ackNumber;
    private uint _replyMicros;
    private long _lastReceivedMicros;
    private bool _ackPending;
    private int _unackedInOrder;
    private bool _endOfStream;
    private ushort? _finSequence;

    /// <summary>Packets we dropped as outside the window or duplicates (statistics).</summary>
    public int DuplicatesReceived { get; private set; }

    /// <summary>Takes one packet for this connection, under the lock.</summary>
    public void OnPacket(in UtpHeader header, ReadOnlySpan<byte> selectiveAck, ReadOnlySpan<byte> payload)
    {
        if (State == UtpState.Closed)
        {
            return;
        }

        long now = _manager.NowMicros();
        _lastReceivedMicros = now;
        NoteTimestamp(header.Timestamp);

        switch (header.Type)
        {
            case UtpPacketType.Reset:
                Close(new SocketException((int)SocketError.ConnectionReset));
                return;
            case UtpPacketType.Syn:
                // The peer did not get our STATE: answer again.
                if (HalfOpen && header.SequenceNumber == _ackNumber)
                {
                    SendAck();
                }

                return;
        }

        if (State == UtpState.SynSent)
        {
            if (header.Type != UtpPacketType.State)
            {
                return;
            }

            // BEP 29: the acceptor's STATE carries the sequence number its first data packet will use.
            _ackNumber = (ushort)(header.SequenceNumber - 1);
            State = UtpState.Connected;
            _connecting.Decide(this);
        }

        _peerWindow = header.WindowSize;
        OnAck(header, selectiveAck, now);
        if (State == UtpState.Closed)
        {
            return;
        }

        if (header.Type is UtpPacketType.Data or UtpPacketType.Fin)
        {
            HalfOpen = false;
            OnData(header, payload);
        }

        SendPackets();
    }

    /// <summary>The peer's timestamp, echoed back as the difference BEP 29 asks every packet to carry.</summary>
    private void NoteTimestamp(uint theirs) => _replyMicros = (uint)_manager.NowMicros() - theirs;

    private void OnData(in UtpHeader header, ReadOnlySpan<byte> payload)
    {
        ushort sequence = header.SequenceNumber;
        int ahead = UtpSequence.Distance(_ackNumber, sequence);
        if (ahead == 0 || ahead >= 0x8000 || (_finSequence is { } fin && UtpSequence.Before(fin, sequence)))
        {
            // Already had it (our ack got lost) or past the end: ack again at once.
            DuplicatesReceived++;
            SendAck();
            return;
        }

        bool isFin = header.Type == UtpPacketType.Fin;
        if (isFin)
        {
            _finSequence = sequence;
        }

        if (ahead == 1)
        {
            if (!isFin && payload.Length > _unread.Free)
            {
                // No room: the peer overran our window; it resends after its time-out.
                SendAck();
                return;
            }

            Deliver(payload, isFin);
            DeliverReordered();
            _unackedInOrder++;
            if (_unread.Count >= WakeReaderAt || _endOfStream)
            {
                FillReader();
            }

            if (_reorder.Count > 0 || _unackedInOrder >= AckEvery || _endOfStream)
            {
                SendAck();
            }
            else
            {
                // One ack and one wake-up per burst of datagrams, as libtorrent does: fewer system
                // calls and thread hops per byte.
                _ackPending = true;
            }

            _manager.FlushLater(this);
            return;
        }

        if (ahead - 1 > UtpReorderBuffer.Slots - 1 || payload.Length > BufferLimit - _unread.Count - _reorder.Bytes)
        {
            DuplicatesReceived++;
            return;
        }

        if (!_reorder.TryAdd(sequence, payload, isFin))
        {
            DuplicatesReceived++;
        }

        // Out of order: ack with the selective ack at once, so the sender sees the gap.
        SendAck();
    }

    private void DeliverReordered()
    {
        while (!_endOfStream && _reorder.TryTake((ushort)(_ackNumber + 1), _unread, out bool fin))
        {
            Deliver(default, fin);
        }
    }

    /// <summary>The next packet in order, into the unread buffer (a waiting reader gets it at the end of the batch).</summary>
    private void Deliver(ReadOnlySpan<byte> payload, bool fin)
    {
        _ackNumber++;
        _unread.Write(payload);
        if (fin)
        {
            _endOfStream = true;
        }
    }

    /// <summary>Gives a waiting reader what is unread (or the end of the stream). Under the lock.</summary>
    private void FillReader()
    {
        if (!_reader.IsWaiting)
        {
            return;
        }

        if (_unread.Count > 0)
        {
            int read = _unread.Read(_readInto.Span);
            _readInto = default;
            _reader.Decide(read);
        }
        else if (_endOfStream)
        {
            _readInto = default;
            _reader.Decide(0);
        }
    }

    /// <summary>The window we advertise: room left for unread and out-of-order bytes.</summary>
    private int AdvertisedWindow() => Math.Max(0, BufferLimit - _unread.Count - _reorder.Bytes);

    /// <summary>The selective ack (BEP 29) of what is held past the gap.</summary>
    private int WriteSelectiveAck(Span<byte> mask) => _reorder.WriteSelectiveAck(_ackNumber, mask);

    private void ReleaseBuffers()
    {
        _unsent.Release();
        _unread.Release();
        _reorder.Clear();
        ReleaseInFlight();
    }
}
