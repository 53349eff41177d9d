using GodotTorrent.Bencoding;
using GodotTorrent.Tests.Metainfo;

namespace GodotTorrent.Tests.Cli;

/// <summary>Hand-made .torrent files for the CLI tests (until they can make their own with <c>create</c>).</summary>
internal static class CliTorrents
{
    /// <summary>A v1 multi-file torrent with two tracker tiers, a web seed, a comment and a date.</summary>
    public static byte[] MultiFile() => TorrentFiles.Torrent(
        TorrentFiles.MultiFileInfo("sample", [(["a.bin"], 40_000), (["sub", "b.bin"], 5_000)], pieceLength: 16384),
        root =>
        {
            root.Set("announce", new BString("http://t1.example/announce"));
            root.Set("announce-list", new BList(
            [
                new BList([new BString("http://t1.example/announce")]),
                new BList([new BString("http://t2.example/announce"), new BString("udp://t3.example:80")]),
            ]));
            root.Set("url-list", new BList([new BString("http://ws.example/files/")]));
            root.Set("comment", new BString("hello & goodbye"));
            root.Set("created by", new BString("hand"));
            root.Set("creation date", new BInteger(1_700_000_000));
        });
}
