using System.Net;

namespace GodotTorrent.Session;

/// <summary>
/// A session-wide service that follows the session's life: port mapping, local service discovery.
/// Every call comes on the engine loop; none may block it (network work runs off the loop).
/// </summary>
internal interface ISessionPart
{
    /// <summary>The session listens on these endpoints now: at start, and after every rebind (port or address change).</summary>
    void Listening(IReadOnlyList<IPEndPoint> endPoints);

    /// <summary>Settings changed at run time (after the listeners were rebound, if they were).</summary>
    Task SettingsChangedAsync(SessionSettings old);

    /// <summary>The session stops: undo what was set up (remove port mappings), bounded in time.</summary>
    Task StopAsync();
}
