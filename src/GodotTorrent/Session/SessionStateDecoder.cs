using System.Net;
using GodotTorrent.Bencoding;
using GodotTorrent.Metainfo;
using GodotTorrent.Session.Settings;
using GodotTorrent.Storage;

namespace GodotTorrent.Session;

/// <summary>
/// Reads session state written by <see cref="TorrentSession.SaveStateAsync(CancellationToken)"/>:
/// strictly, since a state file may be damaged or come from elsewhere (a typed
/// <see cref="ErrorCode.InvalidSessionState"/> error, never a partly trusted state).
/// </summary>
internal static class SessionStateDecoder
{
    /// <summary>Parses saved state into settings, the parameters of each torrent (in queue order) and the DHT's entry (the node checks it).</summary>
    public static (SessionSettings Settings, List<AddTorrentParams> Torrents, BDictionary? Dht) Decode(ReadOnlySpan<byte> state)
    {
        try
        {
            var root = BencodeReader.Decode(state) as BDictionary ?? throw Corrupt("it is not a dictionary");
            if (root.Get<BString>("format")?.Text != TorrentSession.StateMagic)
            {
                throw Corrupt("it is not Godot-Torrent session state");
            }

            if (root.Get<BInteger>("version")?.Value != TorrentSession.StateVersion)
            {
                throw Corrupt($"version {root.Get<BInteger>("version")?.Value} is not supported");
            }

            var settings = SettingsStateCodec.Decode(root.Get<BDictionary>("settings") ?? throw Corrupt("settings are missing"));
            var filter = IpFilter.Empty;
            foreach (var item in root.Get<BList>("ip_filter") ?? [])
            {
                if (item is not BList { Count: 3 } rule || rule[0] is not BString first || rule[1] is not BString last || rule[2] is not BInteger blocked
                    || !IPAddress.TryParse(first.Text, out var firstAddress) || !IPAddress.TryParse(last.Text, out var lastAddress))
                {
                    throw Corrupt("an IP filter rule is malformed");
                }

                filter = filter.Add(firstAddress, lastAddress, blocked.Value != 0);
            }

            settings = settings with { IpFilter = filter };
            settings.Validate();
            var torrents = new List<AddTorrentParams>();
            foreach (var item in root.Get<BList>("torrents") ?? throw Corrupt("the torrent list is missing"))
            {
                var entry = item as BDictionary ?? throw Corrupt("a torrent entry is not a dictionary");
                var savePath = entry.Get<BString>("save_path")?.Text ?? throw Corrupt("a torrent has no save path");
                var parameters = new AddTorrentParams
                {
                    SavePath = savePath,
                    Paused = Flag(entry, "paused", false),
                    AutoManaged = Flag(entry, "auto_managed", true),
                    SequentialDownload = Flag(entry, "sequential", false),
                    UploadRateLimit = Math.Max(0, entry.Get<BInteger>("upload_limit")?.Value ?? 0),
                    DownloadRateLimit = Math.Max(0, entry.Get<BInteger>("download_limit")?.Value ?? 0),
                };
                if (entry.Get<BString>("resume") is { } resumeBytes)
                {
                    var resume = ResumeDataSerializer.Decode(resumeBytes.Span);
                    var torrent = resume.Torrent ?? throw Corrupt("a torrent's resume data holds no info dictionary");
                    parameters = parameters with { Torrent = torrent, ResumeData = resume, FilePriorities = resume.FilePriorities };
                }
                else if (entry.Get<BString>("magnet") is { } magnet)
                {
                    parameters = parameters with { Magnet = MagnetLink.Parse(magnet.Text) };
                }
                else
                {
                    throw Corrupt("a torrent has neither resume data nor a magnet link");
                }

                torrents.Add(parameters);
            }

            return (settings, torrents, root.Get<BDictionary>("dht"));
        }
        catch (TorrentException e) when (e.ErrorCode != ErrorCode.InvalidSessionState)
        {
            throw new TorrentException(ErrorCode.InvalidSessionState, $"The session state is corrupt: {e.Message}", e);
        }
    }

    private static TorrentException Corrupt(string why) => new(ErrorCode.InvalidSessionState, $"The session state is corrupt: {why}.");

    private static bool Flag(BDictionary entry, string key, bool fallback) =>
        entry.Get<BInteger>(key) is { } value ? value.Value != 0 : fallback;
}
