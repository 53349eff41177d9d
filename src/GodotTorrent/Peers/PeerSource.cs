namespace GodotTorrent.Peers;

/// <summary>Where the torrent heard of a peer; one endpoint may come from several.</summary>
[Flags]
internal enum PeerSource
{
    None = 0,
    Tracker = 1 << 0,
    Dht = 1 << 1,
    Pex = 1 << 2,
    Lsd = 1 << 3,
    ResumeData = 1 << 4,
    Incoming = 1 << 5,
    Manual = 1 << 6,

    /// <summary>BEP 27: a private torrent takes peers only from its trackers and the application.</summary>
    AllowedForPrivate = Tracker | Manual | ResumeData,
}
