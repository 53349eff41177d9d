using GodotTorrent.Swarm;

namespace GodotTorrent.Torrent;

/// <summary>The torrent's own upload and download limits; each limiter also draws on the session's global bucket.</summary>
internal sealed class TorrentRateLimits
{
    private readonly TokenBucket _uploadBucket;
    private readonly TokenBucket _downloadBucket;

    public TorrentRateLimits(TimeProvider time, long upload, long download, TokenBucket globalUpload, TokenBucket globalDownload)
    {
        _uploadBucket = new TokenBucket(time, upload);
        _downloadBucket = new TokenBucket(time, download);
        Upload = new RateLimiter(time, _uploadBucket, globalUpload);
        Download = new RateLimiter(time, _downloadBucket, globalDownload);
    }

    public RateLimiter Upload { get; }

    public RateLimiter Download { get; }

    public long UploadLimit => _uploadBucket.BytesPerSecond;

    public long DownloadLimit => _downloadBucket.BytesPerSecond;

    public void Set(long upload, long download)
    {
        if (upload < 0 || download < 0)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, "Rate limits are 0 (unlimited) or positive.");
        }

        _uploadBucket.BytesPerSecond = upload;
        _downloadBucket.BytesPerSecond = download;
    }
}
