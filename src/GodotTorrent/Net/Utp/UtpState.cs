namespace GodotTorrent.Net.Utp;

/// <summary>Where a uTP connection is in its life (BEP 29's CS_* states, folded to what the code needs).</summary>
internal enum UtpState
{
    /// <summary>We sent a SYN and wait for the peer's STATE.</summary>
    SynSent,
    /// <summary>Data flows (a FIN may be on its way either side).</summary>
    Connected,
    /// <summary>Done: cleanly, by RESET, time-out or abort.</summary>
    Closed,
}
