namespace GodotTorrent.Wire;

/// <summary>
/// Answers peers' ut_metadata requests (BEP 9) from our info dictionary, with a per-peer cap so
/// one peer cannot make us send the dictionary over and over. Engine loop only.
/// </summary>
internal sealed class MetadataServer
{
    private readonly TimeProvider _time;
    private readonly Dictionary<int, (DateTimeOffset WindowStart, int Count)> _peers = [];
    private ReadOnlyMemory<byte> _metadata;

    /// <summary>Creates a server that has no metadata yet (every request is rejected).</summary>
    /// <param name="time">Clock for the per-peer window.</param>
    /// <param name="maxPiecesPerWindow">Pieces one peer is sent per <paramref name="window"/>; more are rejected.</param>
    /// <param name="window">Length of the counting window; one minute when null.</param>
    public MetadataServer(TimeProvider time, int maxPiecesPerWindow = 128, TimeSpan? window = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPiecesPerWindow, 1);
        _time = time;
        MaxPiecesPerWindow = maxPiecesPerWindow;
        Window = window ?? TimeSpan.FromMinutes(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(Window, TimeSpan.Zero, nameof(window));
    }

    /// <summary>Pieces one peer is sent per <see cref="Window"/>.</summary>
    public int MaxPiecesPerWindow { get; }

    /// <summary>Length of the per-peer counting window.</summary>
    public TimeSpan Window { get; }

    /// <summary>Our info dictionary's size for the extension handshake's <c>metadata_size</c>, or null without metadata.</summary>
    public int? MetadataSize => _metadata.IsEmpty ? null : _metadata.Length;

    /// <summary>Sets the info dictionary to serve: the exact bytes that hash to the info-hash.</summary>
    public void SetMetadata(ReadOnlyMemory<byte> infoDictionary)
    {
        if (infoDictionary.IsEmpty)
        {
            throw new ArgumentException("The info dictionary is empty.", nameof(infoDictionary));
        }

        _metadata = infoDictionary;
    }

    /// <summary>
    /// The payload answering <paramref name="peerId"/>'s request for <paramref name="piece"/>: the
    /// data, or a reject when we have no metadata, the piece does not exist, or the peer is over its cap.
    /// Send it with the peer's ut_metadata id.
    /// </summary>
    public byte[] HandleRequest(int peerId, int piece)
    {
        if (_metadata.IsEmpty || piece < 0 || piece >= MetadataMessage.PieceCount(_metadata.Length) || !TryCount(peerId))
        {
            return MetadataMessage.CreateReject(Math.Max(0, piece));
        }

        int start = piece * MetadataMessage.PieceLength;
        int length = MetadataMessage.PieceSize(_metadata.Length, piece);
        return MetadataMessage.CreateData(piece, _metadata.Length, _metadata.Span.Slice(start, length));
    }

    /// <summary>Forgets a disconnected peer's count.</summary>
    public void RemovePeer(int peerId) => _peers.Remove(peerId);

    private bool TryCount(int peerId)
    {
        var now = _time.GetUtcNow();
        var (start, count) = _peers.TryGetValue(peerId, out var entry) ? entry : (now, 0);
        if (now - start >= Window)
        {
            (start, count) = (now, 0);
        }

        if (count >= MaxPiecesPerWindow)
        {
            return false;
        }

        _peers[peerId] = (start, count + 1);
        return true;
    }
}
