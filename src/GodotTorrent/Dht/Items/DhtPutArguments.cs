using GodotTorrent.Bencoding;

namespace GodotTorrent.Dht.Items;

/// <summary>
/// The arguments of a BEP 44 <c>put</c> query: the write token, the bencoded value, and for a
/// mutable item its key, salt, sequence number, signature and optional compare-and-swap.
/// </summary>
internal sealed class DhtPutArguments
{
    private readonly byte[] _token;
    private readonly byte[] _value;

    private DhtPutArguments(byte[] token, byte[] value, DhtMutableItem? mutable, long? cas)
    {
        _token = token;
        _value = value;
        Mutable = mutable;
        Cas = cas;
    }

    /// <summary>The write token from the storing node's <c>get</c> reply.</summary>
    public ReadOnlySpan<byte> Token => _token;

    /// <summary>The value, bencoded.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>The mutable item, or null for an immutable put.</summary>
    public DhtMutableItem? Mutable { get; }

    /// <summary>Compare-and-swap: the sequence number the stored item must have (mutable puts only).</summary>
    public long? Cas { get; }

    /// <summary>An immutable put of <paramref name="encodedValue"/>.</summary>
    public static DhtPutArguments ForImmutable(ReadOnlySpan<byte> token, ReadOnlySpan<byte> encodedValue) =>
        new(token.ToArray(), encodedValue.ToArray(), null, null);

    /// <summary>A mutable put of <paramref name="item"/>.</summary>
    public static DhtPutArguments ForMutable(ReadOnlySpan<byte> token, DhtMutableItem item, long? cas = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(token.ToArray(), item.Value.ToArray(), item, cas);
    }

    /// <summary>Adds the put's fields to the query's <c>a</c> dictionary; the node adds <c>id</c>.</summary>
    public void WriteTo(BDictionary arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        arguments.Set("token", new BString(_token));
        arguments.Set("v", new BRaw(_value));
        if (Mutable is not { } item)
        {
            return;
        }

        arguments.Set("k", new BString(item.PublicKey.ToArray()));
        if (item.Salt.Length > 0)
        {
            arguments.Set("salt", new BString(item.Salt.ToArray()));
        }

        arguments.Set("seq", new BInteger(item.Sequence));
        arguments.Set("sig", new BString(item.Signature.ToArray()));
        if (Cas is { } cas)
        {
            arguments.Set("cas", new BInteger(cas));
        }
    }

    /// <summary>
    /// Reads a query's <c>a</c> dictionary. <paramref name="packet"/> is the datagram it was decoded
    /// from, so the value keeps the bytes that were signed. The signature is not checked here
    /// (the store does, with error 206); sizes and shapes are.
    /// </summary>
    /// <returns><see cref="DhtItemError.None"/>, or the error to reply with and its text in <paramref name="message"/>.</returns>
    public static DhtItemError TryParse(BDictionary arguments, ReadOnlySpan<byte> packet, out DhtPutArguments? parsed, out string message)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        parsed = null;
        message = string.Empty;
        if (!DhtItemArguments.TryGetBytes(arguments, "token", 1, DhtItemArguments.MaxTokenLength, out byte[]? token, out _) || token is null)
        {
            message = "put needs a write token";
            return DhtItemError.ProtocolError;
        }

        if (!arguments.TryGetValue("v", out BValue? v))
        {
            message = "put needs a value";
            return DhtItemError.ProtocolError;
        }

        if (DhtItemArguments.EncodedValue(v, packet) is not { } value)
        {
            message = "message (v field) too big";
            return DhtItemError.MessageTooBig;
        }

        if (!arguments.ContainsKey("k"))
        {
            parsed = new DhtPutArguments(token, value, null, null);
            return DhtItemError.None;
        }

        if (!DhtItemArguments.TryGetBytes(arguments, "salt", 0, DhtItemFormat.MaxSaltLength, out byte[]? salt, out _))
        {
            bool tooBig = arguments.TryGetValue("salt", out BValue? saltValue) && saltValue is BString;
            message = tooBig ? "salt (salt field) too big" : "salt is a byte string";
            return tooBig ? DhtItemError.SaltTooBig : DhtItemError.ProtocolError;
        }

        if (!DhtItemArguments.TryGetBytes(arguments, "k", Ed25519.PublicKeyLength, Ed25519.PublicKeyLength, out byte[]? key, out _)
            || key is null
            || !DhtItemArguments.TryGetBytes(arguments, "sig", Ed25519.SignatureLength, Ed25519.SignatureLength, out byte[]? signature, out _)
            || signature is null
            || !DhtItemArguments.TryGetInteger(arguments, "seq", out long? sequence)
            || sequence is null
            || !DhtItemArguments.TryGetInteger(arguments, "cas", out long? cas))
        {
            message = "a mutable put has a 32-byte k, a 64-byte sig and an integer seq";
            return DhtItemError.ProtocolError;
        }

        var item = new DhtMutableItem(key, salt ?? [], sequence.Value, value, signature);
        parsed = new DhtPutArguments(token, value, item, cas);
        return DhtItemError.None;
    }
}
