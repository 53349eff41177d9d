namespace GodotTorrent.Cli.Http;

/// <summary>The <c>Content-Type</c> of a served file, by its extension (what players and browsers look at).</summary>
internal static class ContentTypes
{
    private static readonly Dictionary<string, string> ByExtension = new(StringComparer.OrdinalIgnoreCase)
    {
        [".mp4"] = "video/mp4",
        [".m4v"] = "video/mp4",
        [".mkv"] = "video/x-matroska",
        [".webm"] = "video/webm",
        [".avi"] = "video/x-msvideo",
        [".mov"] = "video/quicktime",
        [".ts"] = "video/mp2t",
        [".mp3"] = "audio/mpeg",
        [".m4a"] = "audio/mp4",
        [".ogg"] = "audio/ogg",
        [".opus"] = "audio/ogg",
        [".flac"] = "audio/flac",
        [".wav"] = "audio/wav",
        [".txt"] = "text/plain; charset=utf-8",
        [".srt"] = "text/plain; charset=utf-8",
        [".vtt"] = "text/vtt",
        [".html"] = "text/html; charset=utf-8",
        [".json"] = "application/json",
        [".pdf"] = "application/pdf",
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".gif"] = "image/gif",
        [".zip"] = "application/zip",
        [".pck"] = "application/octet-stream",
    };

    /// <summary>The type for <paramref name="path"/>; <c>application/octet-stream</c> when unknown.</summary>
    public static string For(string path) =>
        ByExtension.TryGetValue(Path.GetExtension(path), out string? type) ? type : "application/octet-stream";
}
