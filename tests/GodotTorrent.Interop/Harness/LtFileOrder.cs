namespace GodotTorrent.Interop.Harness;

/// <summary>The order lt_tool.py create adds a folder's files in (libtorrent keeps the order it is given).</summary>
public enum LtFileOrder
{
    /// <summary>Bytes for v1, Tree for v2 and hybrid.</summary>
    Default,

    /// <summary>Raw bytes of the whole '/'-separated relative path ("a-c" &lt; "a.txt" &lt; "a/b"): mktorrent 1.1.</summary>
    Bytes,

    /// <summary>Component by component, as the BEP 52 file tree ("a/b" &lt; "a-c" &lt; "a.txt"); what v2 needs.</summary>
    Tree,

    /// <summary>Whole path, ASCII letters compared case-insensitively ("_x" &lt; "a" &lt; "B"): transmission-create 3.00.</summary>
    CaseFold,
}
