using System.Net.Sockets;

namespace GodotTorrent.Net.Utp;

internal sealed partial class UtpConnection
{
    /// <summary>Three duplicate acks, or three packets selectively acked past a gap, mean the gap was lost (BEP 29).</summary>
    private const int DuplicateAckThreshold = 3;

    private readonly UtpPacketRing _inFlight = new();
    private readonly RttEstimator _rtt = new();
    private readonly LedbatWindow _window;
    private readonly int _largePacketSize;
    private int _packetSize;
    private ushort _sequence;
    private ushort _ackedUpTo;
    private long _bytesInFlight;
    private int _resendCount;
    private int _smallInFlight;
    private uint _peerWindow = BufferLimit;
    private int _duplicateAcks;
    private bool _inRecovery;
    private ushort _recoveryUntil;
    private bool _windowLimited;
    private long _timeoutStartMicros;
    private long _lastSentMicros;
    private bool _finQueued;
    private bool _finSent;
    private ushort _finSequenceSent;

    /// <summary>Packets sent again after a loss or time-out (statistics and tests).</summary>
    public int Resent { get; private set; }

    /// <summary>The payload size of a full packet now.</summary>
    public int PacketSize => _packetSize;

    /// <summary>
    /// The peer says (in its BEP 10 handshake) it takes packets with <paramref name="payloadSize"/>
    /// bytes of payload: use them, as far as the path allows (loopback, jumbo frames). Packets
    /// already cut keep their size.
    /// </summary>
    public void AcceptLargePackets(int payloadSize)
    {
        lock (_gate)
        {
            int use = Math.Min(payloadSize, _largePacketSize);
            if (use > _packetSize && State != UtpState.Closed)
            {
                _packetSize = use;
                _window.SetPacketSize(use);
            }
        }
    }

    private void StartSequence(ushort first)
    {
        _sequence = first;
        _ackedUpTo = (ushort)(first - 1);
    }

    /// <summary>Queues a SYN or FIN: each takes a sequence number and is resent until acked.</summary>
    private void QueueControl(UtpPacketType type)
    {
        var packet = _inFlight.Rent(type, _sequence++, 0);
        packet.NeedsResend = true;
        _inFlight.Add(packet);
        _resendCount++;
        if (type == UtpPacketType.Fin)
        {
            _finSent = true;
            _finSequenceSent = packet.Sequence;
        }
    }

    /// <summary>Sends whatever the window allows: lost packets first, then new data, then a FIN when closing. Under the lock.</summary>
    private void SendPackets()
    {
        if (State == UtpState.Closed)
        {
            return;
        }

        long now = _manager.NowMicros();
        if (_resendCount > 0 && !ResendLost(now))
        {
            return;
        }

        if (State != UtpState.Connected)
        {
            return;
        }

        while (true)
        {
            RefillFromWriter();
            if (_unsent.Count == 0)
            {
                _windowLimited = false;
                break;
            }

            int size = Math.Min(_packetSize, _unsent.Count);
            if (size < _packetSize && _smallInFlight > 0)
            {
                // Nagle: one small packet in flight at a time, so small writes coalesce.
                break;
            }

            if (!WindowAllows(size) || UtpSequence.Distance(_ackedUpTo, _sequence) > UtpPacketRing.MaxInFlight)
            {
                _windowLimited = true;
                break;
            }

            var packet = _inFlight.Rent(UtpPacketType.Data, _sequence++, size);
            _unsent.Read(packet.Payload);
            _inFlight.Add(packet);
            if (_bytesInFlight == 0)
            {
                _timeoutStartMicros = now;
            }

            _bytesInFlight += size;
            if (size < _packetSize)
            {
                packet.IsSmall = true;
                _smallInFlight++;
            }

            Transmit(packet, now);
        }

        if (_finQueued && !_finSent && _unsent.Count == 0 && _writeFrom.IsEmpty)
        {
            QueueControl(UtpPacketType.Fin);
            ResendLost(now);
        }
    }

    /// <summary>Moves bytes of a waiting write into the unsent buffer as room appears.</summary>
    private void RefillFromWriter()
    {
        if (!_writer.IsWaiting)
        {
            // A cancelled or failed write leaves nothing to send.
            _writeFrom = default;
            return;
        }

        if (_writeFrom.IsEmpty)
        {
            return;
        }

        int written = _unsent.Write(_writeFrom.Span);
        _writeFrom = _writeFrom[written..];
        if (_writeFrom.IsEmpty)
        {
            _writer.Decide(true);
        }
    }

    private bool WindowAllows(int size)
    {
        long limit = Math.Min(_window.Window, _peerWindow);
        // With nothing in flight one packet may always go: it probes a closed window.
        return _bytesInFlight == 0 || _bytesInFlight + size <= limit;
    }

    /// <summary>Resends packets marked lost, oldest first; false when the window stopped it.</summary>
    private bool ResendLost(long now)
    {
        for (ushort sequence = (ushort)(_ackedUpTo + 1); _resendCount > 0 && sequence != _sequence; sequence++)
        {
            var packet = _inFlight.Get(sequence);
            if (packet is null || !packet.NeedsResend)
            {
                continue;
            }

            if (packet.Type == UtpPacketType.Data && !WindowAllows(packet.PayloadLength))
            {
                _windowLimited = true;
                return false;
            }

            packet.NeedsResend = false;
            _resendCount--;
            if (_bytesInFlight == 0)
            {
                _timeoutStartMicros = now;
            }

            _bytesInFlight += packet.PayloadLength;
            if (packet.Transmissions > 0)
            {
                Resent++;
            }

            Transmit(packet, now);
        }

        return true;
    }

    /// <summary>Writes the header in front of the payload (the ack and window as of now) and sends.</summary>
    private void Transmit(UtpOutgoingPacket packet, long now)
    {
        Span<byte> mask = stackalloc byte[UtpHeader.MaxSelectiveAckBytes];
        int maskLength = packet.Type == UtpPacketType.Syn ? 0 : WriteSelectiveAck(mask);
        var header = new UtpHeader(
            packet.Type,
            packet.Type == UtpPacketType.Syn ? ReceiveId : SendId,
            (uint)now,
            _replyMicros,
            (uint)AdvertisedWindow(),
            packet.Sequence,
            _ackNumber);
        int headerLength = UtpHeader.Length(maskLength);
        int start = UtpOutgoingPacket.HeaderRoom - headerLength;
        header.Write(packet.Buffer.AsSpan(start), mask[..maskLength]);
        _manager.Send(packet.Buffer.AsSpan(start, headerLength + packet.PayloadLength), RemoteEndPoint);
        packet.Transmissions++;
        packet.SentAtMicros = now;
        _lastSentMicros = now;
        _ackPending = false;
        _unackedInOrder = 0;
    }

    /// <summary>A STATE packet: our ack, selective ack and window, consuming no sequence number.</summary>
    private void SendAck() => SendControlNow(UtpPacketType.State);

    private void SendControlNow(UtpPacketType type)
    {
        Span<byte> packet = stackalloc byte[UtpOutgoingPacket.HeaderRoom];
        Span<byte> mask = stackalloc byte[UtpHeader.MaxSelectiveAckBytes];
        int maskLength = type == UtpPacketType.State ? WriteSelectiveAck(mask) : 0;
        long now = _manager.NowMicros();
        var header = new UtpHeader(type, SendId, (uint)now, _replyMicros, (uint)AdvertisedWindow(), _sequence, _ackNumber);
        int length = header.Write(packet, mask[..maskLength]);
        _manager.Send(packet[..length], RemoteEndPoint);
        _lastSentMicros = now;
        _ackPending = false;
        _unackedInOrder = 0;
    }

    /// <summary>The ack, selective ack and delay sample a packet carries, under the lock.</summary>
    private void OnAck(in UtpHeader header, ReadOnlySpan<byte> selectiveAck, long now)
    {
        ushort ack = header.AckNumber;
        int sent = UtpSequence.Distance(_ackedUpTo, (ushort)(_sequence - 1));
        int advanced = UtpSequence.Distance(_ackedUpTo, ack);
        if (advanced > sent)
        {
            // Acks something never sent (or very old): not an ack at all.
            return;
        }

        int ackedBytes = 0;
        bool progress = false;
        for (int i = 1; i <= advanced; i++)
        {
            if (TakeAcked((ushort)(_ackedUpTo + i), now, ref ackedBytes))
            {
                progress = true;
            }
        }

        _ackedUpTo = ack;
        if (_inRecovery && !UtpSequence.Before(_ackedUpTo, _recoveryUntil))
        {
            _inRecovery = false;
        }

        if (advanced > 0)
        {
            _duplicateAcks = 0;
        }
        else if (header.Type == UtpPacketType.State && _bytesInFlight > 0 && selectiveAck.IsEmpty && ++_duplicateAcks == DuplicateAckThreshold)
        {
            MarkLost((ushort)(ack + 1));
        }

        if (!selectiveAck.IsEmpty)
        {
            progress |= OnSelectiveAck(ack, selectiveAck, sent - advanced, now, ref ackedBytes);
        }

        if (progress)
        {
            _rtt.Acknowledged();
            _timeoutStartMicros = now;
        }

        long? queuing = header.TimestampDifference != 0 ? _delays.Add(header.TimestampDifference, _manager.Now) : null;
        _window.OnAck(ackedBytes, queuing, _windowLimited);

        if (_finSent && !UtpSequence.Before(_ackedUpTo, _finSequenceSent))
        {
            // Our FIN is acked: everything we sent arrived.
            Close(null);
        }
    }

    private bool OnSelectiveAck(ushort ack, ReadOnlySpan<byte> mask, int outstanding, long now, ref int ackedBytes)
    {
        bool progress = false;
        int bits = Math.Min(mask.Length * 8, outstanding - 1);
        int highest = -1;
        for (int i = 0; i < bits; i++)
        {
            if ((mask[i >> 3] & (1 << (i & 7))) != 0)
            {
                progress |= TakeAcked((ushort)(ack + 2 + i), now, ref ackedBytes);
                highest = i;
            }
        }

        // A packet with three or more selectively acked packets after it was lost.
        int after = 0;
        for (int i = highest; i >= -1; i--)
        {
            if (i >= 0 && (mask[i >> 3] & (1 << (i & 7))) != 0)
            {
                after++;
            }
            else if (after >= DuplicateAckThreshold)
            {
                MarkLost((ushort)(ack + 2 + i));
            }
        }

        return progress;
    }

    /// <summary>Frees an acked packet; true when it was still outstanding.</summary>
    private bool TakeAcked(ushort sequence, long now, ref int ackedBytes)
    {
        if (_inFlight.Get(sequence) is not { } packet)
        {
            return false;
        }

        if (packet.Transmissions == 1)
        {
            // Karn: only packets sent once give a round-trip sample.
            _rtt.Sample(TimeSpan.FromMicroseconds(now - packet.SentAtMicros));
        }

        if (packet.NeedsResend)
        {
            _resendCount--;
        }
        else
        {
            _bytesInFlight -= packet.PayloadLength;
        }

        if (packet.IsSmall)
        {
            _smallInFlight--;
        }

        ackedBytes += packet.PayloadLength;
        _inFlight.Remove(sequence);
        _inFlight.Recycle(packet);
        return true;
    }

    /// <summary>A gap the peer reported: resend it once and halve the window once per window of data.</summary>
    private void MarkLost(ushort sequence)
    {
        if (_inFlight.Get(sequence) is not { } packet || packet.NeedsResend || packet.Transmissions > 1)
        {
            return;
        }

        packet.NeedsResend = true;
        _resendCount++;
        _bytesInFlight -= packet.PayloadLength;
        if (!_inRecovery)
        {
            _window.OnLoss();
            _inRecovery = true;
            _recoveryUntil = _sequence;
        }
    }

    /// <summary>Nothing acked for a whole time-out: back off, shrink the window to one packet and resend everything outstanding.</summary>
    private void CheckTimeout(long now)
    {
        if (UtpSequence.Distance(_ackedUpTo, _sequence) <= 1 || now - _timeoutStartMicros < (long)_rtt.Timeout.TotalMicroseconds)
        {
            return;
        }

        var oldest = _inFlight.Get((ushort)(_ackedUpTo + 1));
        if (oldest?.Type == UtpPacketType.Syn && oldest.Transmissions >= MaxSynTransmissions)
        {
            Close(new SocketException((int)SocketError.TimedOut));
            return;
        }

        if (oldest?.Type == UtpPacketType.Fin && oldest.Transmissions >= MaxFinTransmissions)
        {
            Close(null);
            return;
        }

        if (_rtt.ConsecutiveTimeouts >= MaxConsecutiveTimeouts)
        {
            Close(new SocketException((int)SocketError.TimedOut));
            return;
        }

        if (oldest is { Type: UtpPacketType.Data, Transmissions: >= 2 } && oldest.PayloadLength > UtpSocketManager.MinPacketSize && _packetSize > UtpSocketManager.MinPacketSize)
        {
            // Large packets keep getting lost: the path's MTU is smaller than the interface's.
            // New packets shrink; those already cut are resent whole and the IP layer fragments them.
            _packetSize = UtpSocketManager.MinPacketSize;
            _window.SetPacketSize(_packetSize);
        }

        _rtt.TimedOut();
        _window.OnTimeout();
        _inRecovery = false;
        for (ushort sequence = (ushort)(_ackedUpTo + 1); sequence != _sequence; sequence++)
        {
            if (_inFlight.Get(sequence) is { NeedsResend: false } packet)
            {
                packet.NeedsResend = true;
                _resendCount++;
            }
        }

        _bytesInFlight = 0;
        _timeoutStartMicros = now;
        ResendLost(now);
    }

    private void ReleaseInFlight()
    {
        _inFlight.ReleaseAll();
        _bytesInFlight = 0;
        _resendCount = 0;
    }
}
