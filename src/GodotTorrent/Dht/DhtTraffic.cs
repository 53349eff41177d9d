using System.Net;
using GodotTorrent.Alerts;
using GodotTorrent.Swarm;

namespace GodotTorrent.Dht;

/// <summary>
/// What the DHT sends and receives: the counters of <see cref="DhtStatistics"/>, the upload limit
/// on replies, the per-source query limit, and send failures as (spaced) alerts. Runs under the
/// engine's lock.
/// </summary>
internal sealed class DhtTraffic(TimeProvider time, int uploadRateLimit, Action<Alert> post)
{
    private static readonly TimeSpan SendErrorSpacing = TimeSpan.FromSeconds(10);

    private readonly TokenBucket _upload = new(time, uploadRateLimit, minimumCapacity: 1500);
    private readonly SourceLimiter _sources = new(time);
    private DateTimeOffset _sendErrorAt = DateTimeOffset.MinValue;

    public long LookupsStarted { get; set; }

    public long QueriesReceived { get; set; }

    public long QueriesSent { get; private set; }

    public long BytesReceived { get; set; }

    public long BytesSent { get; private set; }

    public long Dropped { get; set; }

    public long UploadRateLimit
    {
        get => _upload.BytesPerSecond;
        set => _upload.BytesPerSecond = value;
    }

    /// <summary>True when <paramref name="source"/> may have one more query served now.</summary>
    public bool AllowQuery(IPAddress source) => _sources.Allow(source);

    public void SendQuery(DhtNode node, byte[] message, IPEndPoint to)
    {
        QueriesSent++;
        Send(node, message, to);
    }

    // Replies are what a stranger can make us send: they, not our own queries, pay the upload limit.
    public void SendReply(DhtNode node, byte[] reply, IPEndPoint to)
    {
        if (!_upload.IsUnlimited)
        {
            if (_upload.Available < reply.Length)
            {
                Dropped++;
                return;
            }

            _upload.Consume(reply.Length);
        }

        Send(node, reply, to);
    }

    private void Send(DhtNode node, byte[] message, IPEndPoint to)
    {
        if (node.Socket.Send(message, to))
        {
            BytesSent += message.Length;
            return;
        }

        var now = time.GetUtcNow();
        if (now - _sendErrorAt >= SendErrorSpacing)
        {
            _sendErrorAt = now;
            post(new DhtErrorAlert(ErrorCode.DhtSendFailed, $"a datagram to {to} could not be sent"));
        }
    }
}
