using System.Net;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Integration;

/// <summary>
/// Snapshots as dictionaries with snake_case keys and values Godot turns into Variants as they
/// are (<see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>, lists
/// and dictionaries of those). Times are Unix seconds (0 when unknown), rates are bytes per second.
/// </summary>
public static class VariantSnapshots
{
    /// <summary>The key a torrent is known by in signals: the primary info-hash (v1 when there is one) in lowercase hex.</summary>
    public static string Key(InfoHashes infoHashes)
    {
        ArgumentNullException.ThrowIfNull(infoHashes);
        return infoHashes.Primary.ToHex().ToLowerInvariant();
    }

    /// <summary>The original API's state string: <c>checking_files</c>, <c>downloading</c>, <c>seeding</c>, ...</summary>
    public static string StateName(TorrentState state) => TorrentStatus.StateNameOf(state);

    /// <summary>An endpoint as <c>1.2.3.4:6881</c> or <c>[::1]:6881</c>.</summary>
    public static string Address(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        return endPoint.ToString();
    }

    /// <summary>A status snapshot.</summary>
    public static IReadOnlyDictionary<string, object?> Status(TorrentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new Dictionary<string, object?>
        {
            ["info_hash"] = Key(status.InfoHashes),
            ["name"] = status.Name,
            ["state"] = status.StateName,
            ["paused"] = status.IsPaused,
            ["save_path"] = status.SavePath,
            ["has_metadata"] = status.HasMetadata,
            ["progress"] = status.Progress,
            ["total_done"] = status.TotalDone,
            ["total_wanted_done"] = status.TotalWantedDone,
            ["total_wanted"] = status.TotalWanted,
            ["total_size"] = status.TotalSize,
            ["total_payload_download"] = status.TotalPayloadDownload,
            ["total_payload_upload"] = status.TotalPayloadUpload,
            ["all_time_download"] = status.AllTimeDownload,
            ["all_time_upload"] = status.AllTimeUpload,
            ["download_rate"] = status.DownloadRate,
            ["upload_rate"] = status.UploadRate,
            ["num_peers"] = (long)status.PeerCount,
            ["num_seeds"] = (long)status.SeedCount,
            ["known_peers"] = (long)status.KnownPeerCount,
            ["pieces_done"] = (long)status.PiecesDone,
            ["num_pieces"] = (long)status.PieceCount,
            ["distributed_copies"] = status.DistributedCopies,
            ["eta_seconds"] = status.Eta is { } eta ? (long)eta.TotalSeconds : -1L,
            ["finished"] = status.IsFinished,
            ["seeding"] = status.IsSeeding,
            ["sequential_download"] = status.SequentialDownload,
            ["upload_only"] = status.UploadOnly,
            ["error_code"] = (long)status.Error,
            ["error"] = status.ErrorMessage ?? string.Empty,
            ["added_time"] = status.AddedTime.ToUnixTimeSeconds(),
            ["completed_time"] = status.CompletedTime?.ToUnixTimeSeconds() ?? 0L,
        };
    }

    /// <summary>A connected peer.</summary>
    public static IReadOnlyDictionary<string, object?> Peer(PeerInfo peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        return new Dictionary<string, object?>
        {
            ["address"] = Address(peer.EndPoint),
            ["ip"] = peer.EndPoint.Address.ToString(),
            ["port"] = (long)peer.EndPoint.Port,
            ["client"] = peer.Client,
            ["peer_id"] = peer.PeerId,
            ["outgoing"] = peer.IsOutgoing,
            ["progress"] = peer.Progress,
            ["seed"] = peer.IsSeed,
            ["am_interested"] = peer.AmInterested,
            ["am_choking"] = peer.AmChoking,
            ["peer_interested"] = peer.PeerInterested,
            ["peer_choking"] = peer.PeerChoking,
            ["snubbed"] = peer.IsSnubbed,
            ["download_rate"] = peer.DownloadRate,
            ["upload_rate"] = peer.UploadRate,
            ["total_download"] = peer.TotalDownload,
            ["total_upload"] = peer.TotalUpload,
            ["source"] = peer.Source,
            ["encryption"] = peer.Encryption switch { PeerEncryption.Rc4 => "rc4", PeerEncryption.Plaintext => "plaintext", _ => "none" },
            ["transport"] = peer.Transport == PeerTransport.Utp ? "utp" : "tcp",
            ["connected_time"] = peer.ConnectedAt.ToUnixTimeSeconds(),
        };
    }

    /// <summary>A file of a torrent.</summary>
    public static IReadOnlyDictionary<string, object?> File(FileEntry file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new Dictionary<string, object?>
        {
            ["index"] = (long)file.Index,
            ["path"] = file.Path,
            ["size"] = file.Length,
            ["offset"] = file.Offset,
            ["pad"] = file.IsPad,
            ["first_piece"] = (long)file.FirstPiece,
            ["last_piece"] = (long)file.LastPiece,
        };
    }

    /// <summary>A torrent's metadata, files (pad files left out) and trackers included.</summary>
    public static IReadOnlyDictionary<string, object?> Torrent(TorrentInfo torrent)
    {
        ArgumentNullException.ThrowIfNull(torrent);
        return new Dictionary<string, object?>
        {
            ["info_hash"] = Key(torrent.InfoHashes),
            ["info_hash_v1"] = torrent.InfoHashes.V1?.ToHex().ToLowerInvariant() ?? string.Empty,
            ["info_hash_v2"] = torrent.InfoHashes.V2?.ToHex().ToLowerInvariant() ?? string.Empty,
            ["name"] = torrent.Name,
            ["total_size"] = torrent.TotalSize,
            ["piece_length"] = (long)torrent.PieceLength,
            ["num_pieces"] = (long)torrent.PieceCount,
            ["private"] = torrent.IsPrivate,
            ["comment"] = torrent.Comment ?? string.Empty,
            ["created_by"] = torrent.CreatedBy ?? string.Empty,
            ["creation_date"] = torrent.CreationDate?.ToUnixTimeSeconds() ?? 0L,
            ["files"] = torrent.Files.Where(f => !f.IsPad).Select(f => (object?)File(f)).ToList(),
            ["trackers"] = torrent.Trackers.SelectMany(tier => tier).Select(url => (object?)url).ToList(),
            ["web_seeds"] = torrent.WebSeeds.Select(url => (object?)url).ToList(),
            ["magnet"] = torrent.ToMagnet().ToUri(),
        };
    }
}
