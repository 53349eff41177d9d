namespace GodotTorrent.Session;

/// <summary>The session's running totals; updated from the engine loop and the disk threads alike.</summary>
internal sealed class SessionCounters
{
    private long _outgoingConnections;
    private long _incomingConnections;
    private long _connectFailures;
    private long _protocolErrors;
    private long _peersBanned;
    private long _peersEvicted;
    private long _encryptedConnections;
    private long _utpConnections;
    private long _diskBytesRead;
    private long _diskBytesWritten;
    private long _piecesVerified;
    private long _hashFailures;

    public long OutgoingConnections => Interlocked.Read(ref _outgoingConnections);

    public long IncomingConnections => Interlocked.Read(ref _incomingConnections);

    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    public long PeersBanned => Interlocked.Read(ref _peersBanned);

    public long PeersEvicted => Interlocked.Read(ref _peersEvicted);

    public long EncryptedConnections => Interlocked.Read(ref _encryptedConnections);

    public long UtpConnections => Interlocked.Read(ref _utpConnections);

    public long DiskBytesRead => Interlocked.Read(ref _diskBytesRead);

    public long DiskBytesWritten => Interlocked.Read(ref _diskBytesWritten);

    public long PiecesVerified => Interlocked.Read(ref _piecesVerified);

    public long HashFailures => Interlocked.Read(ref _hashFailures);

    public void Connected(bool outgoing, bool encrypted, bool utp)
    {
        Interlocked.Increment(ref outgoing ? ref _outgoingConnections : ref _incomingConnections);
        if (encrypted)
        {
            Interlocked.Increment(ref _encryptedConnections);
        }

        if (utp)
        {
            Interlocked.Increment(ref _utpConnections);
        }
    }

    public void ConnectFailed() => Interlocked.Increment(ref _connectFailures);

    public void ProtocolError() => Interlocked.Increment(ref _protocolErrors);

    public void Banned() => Interlocked.Increment(ref _peersBanned);

    public void Evicted() => Interlocked.Increment(ref _peersEvicted);

    public void Read(long bytes) => Interlocked.Add(ref _diskBytesRead, bytes);

    public void Written(long bytes) => Interlocked.Add(ref _diskBytesWritten, bytes);

    public void PieceVerified() => Interlocked.Increment(ref _piecesVerified);

    public void HashFailed() => Interlocked.Increment(ref _hashFailures);
}
