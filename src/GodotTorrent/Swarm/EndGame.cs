namespace GodotTorrent.Swarm;

/// <summary>
/// The picker's end-game: once every wanted block is requested or received, the blocks still out
/// are handed to other peers too, least requested first, and the first copy to arrive cancels the
/// rest (<see cref="PiecePicker.BlockReceived"/> names the peers). Engine loop only.
/// </summary>
internal sealed class EndGame
{
    private readonly List<DownloadingPiece> _downloading;
    private readonly RarityIndex _fresh;
    private readonly Func<int, int> _level;
    private readonly Func<int, int> _pieceSize;

    /// <param name="downloading">The picker's started pieces (shared, not copied).</param>
    /// <param name="fresh">The picker's pieces not started.</param>
    /// <param name="level">A piece's effective priority; 0 is not wanted.</param>
    /// <param name="pieceSize">A piece's size in bytes.</param>
    public EndGame(List<DownloadingPiece> downloading, RarityIndex fresh, Func<int, int> level, Func<int, int> pieceSize)
    {
        _downloading = downloading;
        _fresh = fresh;
        _level = level;
        _pieceSize = pieceSize;
    }

    /// <summary>True when every wanted block is requested or received, and some are still out.</summary>
    public bool IsOn
    {
        get
        {
            for (int level = 1; level <= PiecePicker.TopPriority; level++)
            {
                if (_fresh.Count(level) != 0)
                {
                    return false;
                }
            }

            bool any = false;
            foreach (DownloadingPiece dp in _downloading)
            {
                if (_level(dp.Piece) == 0)
                {
                    continue;
                }

                if (dp.Free != 0)
                {
                    return false;
                }

                any |= dp.ReceivedCount < dp.BlockCount;
            }

            return any;
        }
    }

    /// <summary>Duplicate requests for blocks other peers already have outstanding, least requested first.</summary>
    public int Pick(PeerPickState st, Span<BlockRequest> destination)
    {
        int written = 0;
        for (int requests = 1; written < destination.Length; requests++)
        {
            bool more = false;
            foreach (DownloadingPiece dp in _downloading)
            {
                if (_level(dp.Piece) == 0 || !st.HasPiece(dp.Piece))
                {
                    continue;
                }

                int size = _pieceSize(dp.Piece);
                for (int b = 0; b < dp.BlockCount && written < destination.Length; b++)
                {
                    int r = dp.Requests[b];
                    if (dp.Received[b] || r < requests)
                    {
                        continue;
                    }

                    if (r > requests)
                    {
                        more = true;
                        continue;
                    }

                    if (r == byte.MaxValue || !st.Pending.Add(PiecePicker.Key(dp.Piece, b)))
                    {
                        continue;
                    }

                    dp.Requests[b]++;
                    int offset = b * BlockRequest.BlockSize;
                    destination[written++] = new BlockRequest(dp.Piece, offset, Math.Min(BlockRequest.BlockSize, size - offset));
                }
            }

            if (!more)
            {
                break;
            }
        }

        return written;
    }
}
