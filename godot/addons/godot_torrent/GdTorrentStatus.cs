#nullable enable
using Godot;
using GodotTorrent.Integration;
using GodotTorrent.Session;

namespace GodotTorrent.Addon;

/// <summary>A torrent's status snapshot for GDScript (immutable; ask the handle for a newer one).</summary>
[GlobalClass]
public partial class GdTorrentStatus : RefCounted
{
    /// <summary>Needed by Godot; an empty status.</summary>
    public GdTorrentStatus()
    {
    }

    internal GdTorrentStatus(TorrentStatus status) => Status = status;

    /// <summary>The library's snapshot (C#).</summary>
    public TorrentStatus? Status { get; }

    /// <summary>The primary info-hash in lowercase hex.</summary>
    public string InfoHash => Status is null ? string.Empty : VariantSnapshots.Key(Status.InfoHashes);

    /// <summary>The torrent's name.</summary>
    public string Name => Status?.Name ?? string.Empty;

    /// <summary><c>checking_files</c>, <c>downloading_metadata</c>, <c>downloading</c>, <c>finished</c>, <c>seeding</c>, <c>error</c>, ...</summary>
    public string State => Status?.StateName ?? string.Empty;

    /// <summary>0 to 1, of the wanted pieces.</summary>
    public double Progress => Status?.Progress ?? 0;

    /// <summary>Bytes per second.</summary>
    public long DownloadRate => Status?.DownloadRate ?? 0;

    /// <summary>Bytes per second.</summary>
    public long UploadRate => Status?.UploadRate ?? 0;

    /// <summary>Verified bytes of the wanted files.</summary>
    public long TotalWantedDone => Status?.TotalWantedDone ?? 0;

    /// <summary>Bytes of the wanted files.</summary>
    public long TotalWanted => Status?.TotalWanted ?? 0;

    /// <summary>Connected peers.</summary>
    public int NumPeers => Status?.PeerCount ?? 0;

    /// <summary>Connected seeds.</summary>
    public int NumSeeds => Status?.SeedCount ?? 0;

    /// <summary>True while paused.</summary>
    public bool IsPaused => Status?.IsPaused ?? false;

    /// <summary>True when every wanted piece is verified.</summary>
    public bool IsFinished => Status?.IsFinished ?? false;

    /// <summary>True when the whole torrent is verified and it uploads.</summary>
    public bool IsSeeding => Status?.IsSeeding ?? false;

    /// <summary>The error, or an empty string.</summary>
    public string Error => Status?.ErrorMessage ?? string.Empty;

    /// <summary>Every field (see the library's <c>VariantSnapshots.Status</c> for the keys).</summary>
    public global::Godot.Collections.Dictionary ToDictionary() =>
        Status is null ? [] : VariantConvert.ToDictionary(VariantSnapshots.Status(Status));
}
