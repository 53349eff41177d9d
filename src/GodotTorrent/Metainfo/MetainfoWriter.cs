using GodotTorrent.Bencoding;

namespace GodotTorrent.Metainfo;

/// <summary>Writes a <see cref="TorrentInfo"/> back to .torrent bytes around its untouched info dictionary.</summary>
internal static class MetainfoWriter
{
    public static byte[] Write(TorrentInfo torrent, IReadOnlyDictionary<int, byte[]> pieceLayers)
    {
        var root = new BDictionary();
        root.Set("info", new BRaw(torrent.InfoBytes));
        if (torrent.Trackers.Count > 0)
        {
            root.Set("announce", new BString(torrent.Trackers[0][0]));
            if (torrent.Trackers.Count > 1 || torrent.Trackers[0].Count > 1)
            {
                root.Set("announce-list", new BList(torrent.Trackers.Select(tier => new BList(tier.Select(url => new BString(url))))));
            }
        }

        // One web seed is written as a plain string, as libtorrent and mktorrent do.
        if (torrent.WebSeeds.Count == 1)
        {
            root.Set("url-list", new BString(torrent.WebSeeds[0]));
        }
        else if (torrent.WebSeeds.Count > 1)
        {
            root.Set("url-list", new BList(torrent.WebSeeds.Select(url => new BString(url))));
        }

        if (torrent.Comment is not null)
        {
            root.Set("comment", new BString(torrent.Comment));
        }

        if (torrent.CreatedBy is not null)
        {
            root.Set("created by", new BString(torrent.CreatedBy));
        }

        if (torrent.CreationDate is { } date)
        {
            root.Set("creation date", new BInteger(date.ToUnixTimeSeconds()));
        }

        // A v2 .torrent file always carries "piece layers", empty when no file is longer than a
        // piece (libtorrent writes it so): without the key the file reads as a bare info
        // dictionary whose layers are still to be fetched (HasPieceLayers false).
        if (torrent.HasV2 && torrent.HasPieceLayers)
        {
            var layers = new BDictionary();
            foreach (var (fileIndex, layer) in pieceLayers)
            {
                layers.Set(new BString(torrent.Files[fileIndex].PiecesRoot), new BString(layer));
            }

            root.Set("piece layers", layers);
        }

        return BencodeWriter.Encode(root);
    }
}
