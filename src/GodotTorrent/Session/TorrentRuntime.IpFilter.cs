using GodotTorrent.Alerts;

namespace GodotTorrent.Session;

/// <summary>The session's IP filter applied to this torrent's known and connected peers.</summary>
internal sealed partial class TorrentRuntime
{
    /// <summary>Forgets known peers the filter blocks (one alert each), so they are never dialled.</summary>
    private void DropFilteredCandidates()
    {
        var filter = Settings.IpFilter;
        if (filter.Rules.Count == 0)
        {
            return;
        }

        foreach (var endPoint in _peerList.RemoveBlocked(filter.IsBlocked))
        {
            _session.Alerts.Post(new PeerBlockedAlert(Handle, endPoint, Incoming: false));
        }
    }

    /// <summary>Closes connections to addresses the filter now blocks and forgets blocked peers.</summary>
    public void ApplyIpFilter()
    {
        var filter = Settings.IpFilter;
        if (filter.Rules.Count == 0)
        {
            return;
        }

        foreach (var peer in _peers.Values.ToList())
        {
            if (!peer.IsClosed && filter.IsBlocked(peer.EndPoint.Address))
            {
                Disconnect(peer, ErrorCode.ConnectionClosedLocally, "the IP filter blocks the peer's address");
                _session.Alerts.Post(new PeerBlockedAlert(Handle, peer.EndPoint, !peer.IsOutgoing));
            }
        }

        DropFilteredCandidates();
    }
}
