using GodotTorrent.Bencoding;
using GodotTorrent.Session.Settings;
using GodotTorrent.Storage;
using GodotTorrent.Torrent;

namespace GodotTorrent.Session;

/// <summary>Writes saved session state (the counterpart of <see cref="SessionStateDecoder"/>); on the engine loop.</summary>
internal static class SessionStateEncoder
{
    public static async Task<byte[]> EncodeAsync(IReadOnlyList<TorrentRuntime> order, SessionSettings settings, BDictionary dht)
    {
        var torrents = new BList();
        foreach (var torrent in order)
        {
            var entry = new BDictionary();
            entry.Set("save_path", new BString(torrent.SavePath));
            entry.Set("paused", new BInteger(torrent.IsUserPaused ? 1 : 0));
            entry.Set("auto_managed", new BInteger(torrent.AutoManaged ? 1 : 0));
            entry.Set("sequential", new BInteger(torrent.IsSequential ? 1 : 0));
            entry.Set("upload_limit", new BInteger(torrent.UploadLimit));
            entry.Set("download_limit", new BInteger(torrent.DownloadLimit));
            var resume = await torrent.CaptureStateAsync().ConfigureAwait(true);
            if (resume is not null)
            {
                entry.Set("resume", new BString(ResumeDataSerializer.Encode(resume)));
            }
            else
            {
                entry.Set("magnet", new BString(torrent.Magnet!.ToUri()));
            }

            torrents.Add(entry);
        }

        var root = new BDictionary();
        root.Set("format", new BString(TorrentSession.StateMagic));
        root.Set("version", new BInteger(TorrentSession.StateVersion));
        root.Set("settings", SettingsStateCodec.Encode(settings));
        root.Set("ip_filter", new BList(settings.IpFilter.Rules.Select(r => (BValue)new BList(
            [new BString(r.First.ToString()), new BString(r.Last.ToString()), new BInteger(r.Blocked ? 1 : 0)]))));
        root.Set("dht", dht);
        root.Set("torrents", torrents);
        return BencodeWriter.Encode(root);
    }
}
