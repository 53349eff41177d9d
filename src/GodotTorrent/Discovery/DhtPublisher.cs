using GodotTorrent.Dht.Items;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;
using GodotTorrent.Wire;
using Microsoft.Extensions.Logging;

namespace GodotTorrent.Discovery;

/// <summary>
/// BEP 46 publisher: puts <c>{ih}</c> under a key and salt with the next sequence number, then
/// re-puts the same signed item every <see cref="RepublishInterval"/> while the session runs
/// (nodes forget items after 2 hours, BEP 44). Engine loop only.
/// </summary>
internal sealed class DhtPublisher(DhtItems items, ILogger logger)
{
    /// <summary>Well inside BEP 44's two-hour expiry, so one lost round does not lose the item.</summary>
    public static readonly TimeSpan RepublishInterval = TimeSpan.FromMinutes(30);

    /// <summary>The most channels one session publishes at once.</summary>
    public const int MaxPublications = 64;

    private readonly Dictionary<Id20, Publication> _publications = [];

    public int Count => _publications.Count;

    public async Task<DhtPutReceipt> PublishAsync(InfoHash infoHash, DhtKeyPair key, ReadOnlyMemory<byte> salt, DateTimeOffset now)
    {
        var target = DhtItemFormat.MutableTarget(key.PublicKey, salt.Span);
        if (!_publications.ContainsKey(target) && _publications.Count >= MaxPublications)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"A session publishes at most {MaxPublications} channels.");
        }

        var current = await items.GetMutableAsync(key.PublicKey.ToArray(), salt).ConfigureAwait(true);
        var item = DhtMutableItem.Sign(key, salt.Span, (current?.Sequence ?? 0) + 1, MutableTorrentValue.Encode(infoHash));
        var receipt = await items.PutSignedAsync(item).ConfigureAwait(true);
        _publications[target] = new Publication(item, now + RepublishInterval);
        return receipt;
    }

    /// <summary>Stops re-putting the channel of <paramref name="publicKey"/> and <paramref name="salt"/>; false when it was not published.</summary>
    public bool Stop(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> salt) => _publications.Remove(DhtItemFormat.MutableTarget(publicKey, salt));

    /// <summary>Re-puts what is due (the session's one-second tick).</summary>
    public void Tick(DateTimeOffset now)
    {
        foreach (var (target, publication) in _publications)
        {
            if (publication.Due > now)
            {
                continue;
            }

            _publications[target] = publication with { Due = now + RepublishInterval };
            _ = RepublishAsync(publication.Item);
        }
    }

    private async Task RepublishAsync(DhtMutableItem item)
    {
        try
        {
            await items.PutSignedAsync(item).ConfigureAwait(true);
        }
        catch (TorrentException e)
        {
            // The DHT is off for now: the next round tries again.
            logger.LogDebug(e, "Republishing {Target} failed", item.Target);
        }
    }

    private sealed record Publication(DhtMutableItem Item, DateTimeOffset Due);
}
