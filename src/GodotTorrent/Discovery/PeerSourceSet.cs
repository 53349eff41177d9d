using GodotTorrent.Peers;

namespace GodotTorrent.Discovery;

/// <summary>
/// A torrent's peer sources: started and stopped together, and kept to the tracker and the
/// application once the torrent is known to be private (BEP 27). Engine loop only.
/// </summary>
internal sealed class PeerSourceSet
{
    private readonly List<IPeerSource> _sources = [];
    private bool _running;

    /// <summary>True once the torrent is known to be private: only <see cref="PeerSource.AllowedForPrivate"/> sources run.</summary>
    public bool IsPrivate { get; private set; }

    public IReadOnlyList<IPeerSource> Sources => _sources;

    public bool Allows(PeerSource source) => !IsPrivate || (source & PeerSource.AllowedForPrivate) != 0;

    public void Add(IPeerSource source)
    {
        _sources.Add(source);
        if (_running && Allows(source.Kind))
        {
            source.Start();
        }
    }

    public void StartAll()
    {
        _running = true;
        foreach (var source in _sources)
        {
            if (Allows(source.Kind) && !source.IsRunning)
            {
                source.Start();
            }
        }
    }

    public void StopAll()
    {
        _running = false;
        foreach (var source in _sources)
        {
            if (source.IsRunning)
            {
                source.Stop();
            }
        }
    }

    /// <summary>The metadata says the torrent is private: sources it may not use stop for good.</summary>
    public void MarkPrivate()
    {
        IsPrivate = true;
        foreach (var source in _sources)
        {
            if (!Allows(source.Kind) && source.IsRunning)
            {
                source.Stop();
            }
        }
    }
}
