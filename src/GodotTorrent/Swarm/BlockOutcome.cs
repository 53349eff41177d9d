namespace GodotTorrent.Swarm;

/// <summary>What <see cref="PiecePicker.BlockReceived"/> made of a block that arrived.</summary>
internal enum BlockOutcome
{
    /// <summary>Not a block of this torrent's geometry, or of a piece we already have or do not want: drop the data.</summary>
    Rejected,

    /// <summary>The block was already received (an end-game duplicate or a late answer): drop the data.</summary>
    Duplicate,

    /// <summary>A new block: write it; the piece still misses blocks.</summary>
    Accepted,

    /// <summary>A new block, and now every block of the piece is here: write it, then hash the piece and report
    /// <see cref="PiecePicker.PieceVerified"/> or <see cref="PiecePicker.PieceFailed"/>.</summary>
    PieceComplete,
}
