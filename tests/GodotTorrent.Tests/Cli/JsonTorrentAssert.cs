using System.Text.Json;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Cli;

/// <summary>Checks <c>gdtorrent info --json</c> output field by field against a parsed torrent.</summary>
internal static class JsonTorrentAssert
{
    public static void Matches(TorrentInfo torrent, string jsonText)
    {
        using var json = JsonDocument.Parse(jsonText);
        var root = json.RootElement;
        Assert.Equal("torrent", root.GetProperty("kind").GetString());
        Assert.Equal(torrent.Name, root.GetProperty("name").GetString());
        Assert.Equal(torrent.InfoHashes.V1?.ToHex(), root.GetProperty("info_hash_v1").GetString());
        Assert.Equal(torrent.InfoHashes.V2?.ToHex(), root.GetProperty("info_hash_v2").GetString());
        string expectedVersion = torrent.Version switch
        {
            TorrentVersion.V1 => "v1",
            TorrentVersion.V2 => "v2",
            _ => "hybrid",
        };
        Assert.Equal(expectedVersion, root.GetProperty("version").GetString());
        Assert.Equal(torrent.TotalSize, root.GetProperty("total_size").GetInt64());
        Assert.Equal(torrent.PieceLength, root.GetProperty("piece_length").GetInt32());
        Assert.Equal(torrent.PieceCount, root.GetProperty("piece_count").GetInt32());
        Assert.Equal(torrent.IsPrivate, root.GetProperty("private").GetBoolean());
        Assert.Equal(torrent.Source, root.GetProperty("source").GetString());
        Assert.Equal(torrent.Comment, root.GetProperty("comment").GetString());
        Assert.Equal(torrent.CreatedBy, root.GetProperty("created_by").GetString());
        var date = root.GetProperty("creation_date");
        Assert.Equal(torrent.CreationDate, date.ValueKind == JsonValueKind.Null ? null : date.GetDateTimeOffset());

        var files = root.GetProperty("files");
        Assert.Equal(torrent.Files.Count, files.GetArrayLength());
        for (int i = 0; i < torrent.Files.Count; i++)
        {
            var expected = torrent.Files[i];
            var actual = files[i];
            Assert.Equal(expected.Index, actual.GetProperty("index").GetInt32());
            Assert.Equal(expected.Path, actual.GetProperty("path").GetString());
            Assert.Equal(expected.Length, actual.GetProperty("length").GetInt64());
            Assert.Equal(expected.Offset, actual.GetProperty("offset").GetInt64());
            Assert.Equal(expected.IsPad, actual.GetProperty("pad").GetBoolean());
            string? root32 = expected.PiecesRoot.IsEmpty ? null : Convert.ToHexString(expected.PiecesRoot.Span).ToLowerInvariant();
            Assert.Equal(root32, actual.GetProperty("pieces_root").GetString());
        }

        var tiers = root.GetProperty("trackers").EnumerateArray()
            .Select(tier => tier.EnumerateArray().Select(url => url.GetString()!).ToList()).ToList();
        Assert.Equal(torrent.Trackers.Select(t => t.ToList()), tiers);
        Assert.Equal(torrent.WebSeeds, root.GetProperty("web_seeds").EnumerateArray().Select(u => u.GetString()!).ToList());
        Assert.Equal(torrent.ToMagnet().ToUri(), root.GetProperty("magnet").GetString());
    }
}
