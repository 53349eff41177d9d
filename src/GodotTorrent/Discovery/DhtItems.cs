using GodotTorrent.Alerts;
using GodotTorrent.Bencoding;
using GodotTorrent.Dht;
using GodotTorrent.Dht.Items;
using GodotTorrent.Engine;
using GodotTorrent.Session;
using GodotTorrent.Wire;

namespace GodotTorrent.Discovery;

/// <summary>
/// BEP 44 gets and puts as awaitable calls over the session's node, each result also an alert.
/// Engine loop only: the node's callbacks are posted back to the loop before a task completes.
/// </summary>
internal sealed class DhtItems(SessionDht dht, EngineLoop loop, AlertManager alerts)
{
    private static readonly BencodeLimits ValueLimits = new()
    {
        MaxDepth = 32,
        MaxInputLength = DhtItemFormat.MaxValueLength,
        MaxStringLength = DhtItemFormat.MaxValueLength,
        MaxElements = 1000,
    };

    /// <summary>Throws unless <paramref name="value"/> is one bencoded value of at most 1,000 bytes (BEP 44).</summary>
    public static void CheckValue(ReadOnlySpan<byte> value)
    {
        if (value.Length is 0 or > DhtItemFormat.MaxValueLength)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"A DHT item's value is 1 to {DhtItemFormat.MaxValueLength} bytes of bencoding.");
        }

        try
        {
            BencodeReader.Decode(value, ValueLimits);
        }
        catch (BencodeException e)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"A DHT item's value is bencoded: {e.Message}");
        }
    }

    /// <summary>Throws unless a salt fits BEP 44's 64 bytes.</summary>
    public static void CheckSalt(ReadOnlySpan<byte> salt)
    {
        if (salt.Length > DhtItemFormat.MaxSaltLength)
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"A salt is at most {DhtItemFormat.MaxSaltLength} bytes.");
        }
    }

    public async Task<byte[]?> GetImmutableAsync(Id20 target)
    {
        var result = await GetAsync(target, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty).ConfigureAwait(true);
        // A node's value must hash to the target (BEP 44); the node checks, and so do we.
        byte[]? value = result.Value is { } v && DhtItemFormat.ImmutableTarget(v) == target ? v : null;
        alerts.Post(new DhtImmutableItemAlert(target.ToString(), value));
        return value;
    }

    public async Task<DhtMutableItem?> GetMutableAsync(ReadOnlyMemory<byte> publicKey, ReadOnlyMemory<byte> salt)
    {
        var target = DhtItemFormat.MutableTarget(publicKey.Span, salt.Span);
        var result = await GetAsync(target, publicKey, salt).ConfigureAwait(true);
        var item = result.Mutable is { } m && m.Verify() ? m : null;
        alerts.Post(new DhtMutableItemAlert(Hex(publicKey.Span), Hex(salt.Span), item?.Value.ToArray(), item?.Sequence ?? 0));
        return item;
    }

    public async Task<DhtPutReceipt> PutImmutableAsync(byte[] value)
    {
        var result = await PutAsync(DhtItemToPut.Immutable(value)).ConfigureAwait(true);
        return Receipt(result, null);
    }

    /// <summary>Signs and puts <paramref name="value"/>; with no <paramref name="sequence"/> it reads the current one first and puts the next (as libtorrent does).</summary>
    public async Task<DhtPutReceipt> PutMutableAsync(DhtKeyPair key, byte[] value, ReadOnlyMemory<byte> salt, long? sequence)
    {
        long seq = sequence ?? ((await GetMutableAsync(key.PublicKey.ToArray(), salt).ConfigureAwait(true))?.Sequence ?? 0) + 1;
        return await PutSignedAsync(DhtMutableItem.Sign(key, salt.Span, seq, value)).ConfigureAwait(true);
    }

    /// <summary>Puts an item already signed (a publisher's re-put keeps its sequence number).</summary>
    public async Task<DhtPutReceipt> PutSignedAsync(DhtMutableItem item)
    {
        var result = await PutAsync(DhtItemToPut.ForMutable(item)).ConfigureAwait(true);
        return Receipt(result, item.Sequence);
    }

    private DhtPutReceipt Receipt(DhtPutResult result, long? sequence)
    {
        var receipt = new DhtPutReceipt(result.Target.ToString(), sequence, result.Stored);
        alerts.Post(new DhtPutAlert(receipt.Target, sequence, result.Stored));
        return receipt;
    }

    private Task<DhtItemResult> GetAsync(Id20 target, ReadOnlyMemory<byte> publicKey, ReadOnlyMemory<byte> salt)
    {
        var node = RunningNode();
        var done = new TaskCompletionSource<DhtItemResult>();
        node.GetItem(target, publicKey, salt, result => loop.Post(_ => done.TrySetResult(result), null));
        return done.Task;
    }

    private Task<DhtPutResult> PutAsync(DhtItemToPut item)
    {
        var node = RunningNode();
        var done = new TaskCompletionSource<DhtPutResult>();
        node.PutItem(item, result => loop.Post(_ => done.TrySetResult(result), null));
        return done.Task;
    }

    private IDht RunningNode() => dht.Node
        ?? throw new TorrentException(ErrorCode.DhtDisabled, "The DHT is off (EnableDht) or not started; DHT items need it.");

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
