namespace GodotTorrent.Torrent;

/// <summary>What a hashes message did for the <see cref="HashPicker"/>.</summary>
internal enum HashesOutcome
{
    /// <summary>We did not ask this peer for these hashes (or no longer wait for them): ignored.</summary>
    Unrequested,

    /// <summary>The hashes proved the root and were kept.</summary>
    Accepted,

    /// <summary>The hashes completed a file's piece layer, now installed.</summary>
    LayerComplete,

    /// <summary>The hashes do not lead to the file's pieces root: the sender is lying or broken.</summary>
    Invalid,
}
