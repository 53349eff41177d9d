#nullable enable
using Godot;
using GodotTorrent.Integration;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Addon;

/// <summary>A torrent's metadata for GDScript.</summary>
[GlobalClass]
public partial class GdTorrentInfo : RefCounted
{
    /// <summary>Needed by Godot; empty metadata.</summary>
    public GdTorrentInfo()
    {
    }

    internal GdTorrentInfo(TorrentInfo info) => Info = info;

    /// <summary>The library's metadata (C#).</summary>
    public TorrentInfo? Info { get; }

    /// <summary>The primary info-hash in lowercase hex.</summary>
    public string InfoHash => Info is null ? string.Empty : VariantSnapshots.Key(Info.InfoHashes);

    /// <summary>The torrent's name.</summary>
    public string Name => Info?.Name ?? string.Empty;

    /// <summary>Bytes in all files.</summary>
    public long TotalSize => Info?.TotalSize ?? 0;

    /// <summary>How many files (pad files included, as indexes count them).</summary>
    public int FileCount => Info?.Files.Count ?? 0;

    /// <summary>The magnet link.</summary>
    public string Magnet => Info?.ToMagnet().ToUri() ?? string.Empty;

    /// <summary>Each file as a dictionary: <c>index</c>, <c>path</c>, <c>size</c>, ... (pad files left out).</summary>
    public global::Godot.Collections.Array<global::Godot.Collections.Dictionary> GetFiles()
    {
        var files = new global::Godot.Collections.Array<global::Godot.Collections.Dictionary>();
        foreach (var file in Info?.Files ?? [])
        {
            if (!file.IsPad)
            {
                files.Add(VariantConvert.ToDictionary(VariantSnapshots.File(file)));
            }
        }

        return files;
    }

    /// <summary>Every field (see the library's <c>VariantSnapshots.Torrent</c> for the keys).</summary>
    public global::Godot.Collections.Dictionary ToDictionary() =>
        Info is null ? [] : VariantConvert.ToDictionary(VariantSnapshots.Torrent(Info));

    /// <summary>The .torrent file's bytes (to save or share).</summary>
    public byte[] ToBytes() => Info?.ToBytes() ?? [];
}
