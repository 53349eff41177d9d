namespace GodotTorrent.Interop.Harness;

/// <summary>Which metainfo format a reference tool writes.</summary>
public enum LtVersion
{
    /// <summary>BEP 3 only (info-hash v1, SHA-1 pieces, no pad files).</summary>
    V1,

    /// <summary>BEP 52 only (info-hash v2, file tree, piece layers).</summary>
    V2,

    /// <summary>Both: v1 "files" with pad files and a v2 file tree; two info-hashes.</summary>
    Hybrid,
}
