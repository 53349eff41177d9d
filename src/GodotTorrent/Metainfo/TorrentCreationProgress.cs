namespace GodotTorrent.Metainfo;

/// <summary>How far <see cref="TorrentCreator"/> has hashed the content.</summary>
/// <param name="BytesHashed">Bytes of content hashed so far (pad bytes not counted).</param>
/// <param name="TotalBytes">Bytes of content in all files.</param>
/// <param name="PiecesHashed">Pieces hashed so far.</param>
/// <param name="TotalPieces">Number of pieces of the torrent.</param>
public readonly record struct TorrentCreationProgress(long BytesHashed, long TotalBytes, int PiecesHashed, int TotalPieces)
{
    /// <summary>The fraction done, from 0 to 1.</summary>
    public double Fraction => TotalBytes == 0 ? 1 : (double)BytesHashed / TotalBytes;
}
