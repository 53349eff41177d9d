namespace GodotTorrent.Metainfo;

/// <summary>Which BitTorrent metadata versions a torrent carries.</summary>
public enum TorrentVersion
{
    /// <summary>BEP 3 only: SHA-1 pieces over the concatenated files.</summary>
    V1 = 1,
    /// <summary>BEP 52 only: per-file SHA-256 merkle trees.</summary>
    V2 = 2,
    /// <summary>Both, describing the same content (pad files align v1 pieces to files).</summary>
    Hybrid = 3,
}
