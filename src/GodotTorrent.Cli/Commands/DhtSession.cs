using System.CommandLine;
using GodotTorrent.Alerts;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>A session for the DHT item commands (publish, dht-get, dht-put): the DHT options of <see cref="NetworkOptions"/>, started and bootstrapped.</summary>
internal static class DhtSession
{
    /// <summary>How long to wait for the DHT's first bootstrap before asking it anyway.</summary>
    public static readonly TimeSpan BootstrapWait = TimeSpan.FromSeconds(15);

    public static void AddOptions(NetworkOptions network, Command command)
    {
        foreach (Option option in new Option[] { network.Port, network.Listen, network.Timeout, network.NoDht, network.DhtBootstrap })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Fails with a clear line when <c>--no-dht</c> was given: the command needs the DHT.</summary>
    public static void RequireDht(NetworkOptions network, ParseResult parse, string command)
    {
        if (parse.GetValue(network.NoDht))
        {
            throw new CliException($"{command} works through the DHT; it cannot run with --no-dht");
        }
    }

    /// <summary>Starts a session and waits (bounded) for the DHT to bootstrap, so the first lookup has nodes to ask.</summary>
    public static async Task<TorrentSession> StartAsync(NetworkOptions network, ParseResult parse, CancellationToken cancellationToken)
    {
        var bootstrapped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var session = new TorrentSession(network.Settings(parse) with { AlertMask = AlertCategory.Default });
        session.Alerts.AlertPosted += (_, e) =>
        {
            if (e.Alert is DhtBootstrapAlert)
            {
                bootstrapped.TrySetResult();
            }
        };
        await session.StartAsync(cancellationToken).ConfigureAwait(false);
        NetworkOptions.EnsureListening(session);
        try
        {
            await bootstrapped.Task.WaitAsync(BootstrapWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A DHT of one or two nodes may never call itself bootstrapped; the lookup asks whom it knows.
        }

        return session;
    }
}
