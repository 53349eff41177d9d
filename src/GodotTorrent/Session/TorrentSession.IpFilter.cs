using System.Net;
using GodotTorrent.Alerts;

namespace GodotTorrent.Session;

/// <summary>The IP filter: rules that accumulate, enforced on incoming and outgoing connections.</summary>
public sealed partial class TorrentSession
{
    /// <summary>
    /// Adds one rule to the session's IP filter (<see cref="SessionSettings.IpFilter"/>): an
    /// address, a range <c>a-b</c> or a CIDR block. Rules accumulate (the later rule wins where
    /// they overlap); open connections from addresses now blocked are closed, each with a
    /// <see cref="PeerBlockedAlert"/>.
    /// </summary>
    /// <exception cref="TorrentException">The rule is not an address, a range or a CIDR block.</exception>
    public Task AddIpFilterRuleAsync(string rule, bool blocked, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _ = IpFilter.Empty.Add(rule, blocked); // Throws on bad input before anything is posted.
        return Loop.InvokeAsync(() => ReplaceIpFilter(Settings.IpFilter.Add(rule, blocked))).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Replaces the session's IP filter with <paramref name="filter"/> (build one with
    /// <see cref="IpFilter.Add(string, bool)"/>; <see cref="IpFilter.Empty"/> clears it). Open
    /// connections from addresses it blocks are closed.
    /// </summary>
    public Task SetIpFilterAsync(IpFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Loop.InvokeAsync(() => ReplaceIpFilter(filter)).WaitAsync(cancellationToken);
    }

    private void ReplaceIpFilter(IpFilter filter)
    {
        Settings = Settings with { IpFilter = filter };
        EnforceIpFilter();
    }

    private void EnforceIpFilter()
    {
        foreach (var torrent in _torrents)
        {
            torrent.ApplyIpFilter();
        }
    }

    /// <summary>True (and an alert posted) when an incoming connection's address is blocked. Any thread.</summary>
    private bool RefusedByIpFilter(IPEndPoint remote)
    {
        if (!Settings.IpFilter.IsBlocked(remote.Address))
        {
            return false;
        }

        Alerts.Post(new PeerBlockedAlert(null, remote, Incoming: true));
        return true;
    }

    private void SettingsApplied(SessionSettings old)
    {
        if (!ReferenceEquals(old.IpFilter, Settings.IpFilter))
        {
            EnforceIpFilter();
        }

        UpdateQueue();
    }
}
