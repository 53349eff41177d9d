using GodotTorrent.Peers;

namespace GodotTorrent.Discovery;

/// <summary>
/// Something that finds peers for one torrent (trackers, peer exchange; DHT and LSD later). It is
/// started and stopped with the torrent and delivers what it finds to its <see cref="IPeerSink"/>,
/// on the engine loop, tagged with <see cref="Kind"/>.
/// </summary>
internal interface IPeerSource
{
    PeerSource Kind { get; }

    bool IsRunning { get; }

    void Start();

    void Stop();
}
