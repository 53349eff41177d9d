namespace GodotTorrent.Engine;

/// <summary>
/// Where the engine runs work that leaves the loop (socket pumps, incoming handshakes, disk
/// writes, hashing): the thread pool in production, the stepped scheduler in simulation, so one
/// seed gives one run.
/// </summary>
internal interface IBackgroundRunner
{
    /// <summary>Starts <paramref name="work"/> off the loop; the task completes with it.</summary>
    Task Run(Func<Task> work);

    /// <summary>Starts <paramref name="work"/> off the loop; the task completes with its result.</summary>
    Task<T> Run<T>(Func<Task<T>> work);
}
