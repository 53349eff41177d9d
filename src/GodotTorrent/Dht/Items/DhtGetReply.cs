using System.Diagnostics.CodeAnalysis;
using GodotTorrent.Bencoding;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht.Items;

/// <summary>
/// The item part of a BEP 44 <c>get</c> reply (<c>v</c>, and for a mutable item <c>k</c>,
/// <c>seq</c>, <c>sig</c>), plus its write <c>token</c>; <c>id</c> and <c>nodes</c> are the node's.
/// A reply read from the network is untrusted until <see cref="TryGetImmutable"/> or
/// <see cref="TryGetMutable"/> has checked it against the target asked for.
/// </summary>
internal sealed class DhtGetReply
{
    private readonly byte[]? _value;
    private readonly byte[]? _publicKey;
    private readonly byte[]? _signature;
    private readonly byte[]? _token;

    /// <summary>A reply with the given fields (each may be absent).</summary>
    public DhtGetReply(byte[]? value, byte[]? publicKey, long? sequence, byte[]? signature, byte[]? token = null)
    {
        _value = value;
        _publicKey = publicKey;
        Sequence = sequence;
        _signature = signature;
        _token = token;
    }

    /// <summary>The bencoded value, or null when the reply has none.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>True when the reply carries a value.</summary>
    public bool HasValue => _value is not null;

    /// <summary>The public key (<c>k</c>), or empty.</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The sequence number (<c>seq</c>); a reply to a <c>get</c> with <c>seq</c> may carry only this.</summary>
    public long? Sequence { get; }

    /// <summary>The signature (<c>sig</c>), or empty.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>The write token, or empty.</summary>
    public ReadOnlySpan<byte> Token => _token;

    /// <summary>A reply carrying a stored mutable item.</summary>
    public static DhtGetReply ForMutable(DhtMutableItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(item.Value.ToArray(), item.PublicKey.ToArray(), item.Sequence, item.Signature.ToArray());
    }

    /// <summary>The same reply with <paramref name="token"/> as its write token.</summary>
    public DhtGetReply WithToken(ReadOnlySpan<byte> token) => new(_value, _publicKey, Sequence, _signature, token.ToArray());

    /// <summary>Adds the fields present to a reply's <c>r</c> dictionary; the node adds <c>id</c> and <c>nodes</c>.</summary>
    public void WriteTo(BDictionary reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (_token is not null)
        {
            reply.Set("token", new BString(_token));
        }

        if (_value is not null)
        {
            reply.Set("v", new BRaw(_value));
        }

        if (_publicKey is not null)
        {
            reply.Set("k", new BString(_publicKey));
        }

        if (Sequence is { } sequence)
        {
            reply.Set("seq", new BInteger(sequence));
        }

        if (_signature is not null)
        {
            reply.Set("sig", new BString(_signature));
        }
    }

    /// <summary>
    /// Reads a reply's <c>r</c> dictionary decoded from <paramref name="packet"/>. False when a
    /// field has the wrong type or size (<c>k</c> not 32 bytes, <c>sig</c> not 64, <c>v</c> over
    /// 1,000 bytes, a token over 64).
    /// </summary>
    public static bool TryParse(BDictionary reply, ReadOnlySpan<byte> packet, [NotNullWhen(true)] out DhtGetReply? parsed)
    {
        ArgumentNullException.ThrowIfNull(reply);
        parsed = null;
        byte[]? value = null;
        if (reply.TryGetValue("v", out BValue? v) && (value = DhtItemArguments.EncodedValue(v, packet)) is null)
        {
            return false;
        }

        if (!DhtItemArguments.TryGetBytes(reply, "k", Ed25519.PublicKeyLength, Ed25519.PublicKeyLength, out byte[]? key, out _)
            || !DhtItemArguments.TryGetBytes(reply, "sig", Ed25519.SignatureLength, Ed25519.SignatureLength, out byte[]? signature, out _)
            || !DhtItemArguments.TryGetBytes(reply, "token", 1, DhtItemArguments.MaxTokenLength, out byte[]? token, out _)
            || !DhtItemArguments.TryGetInteger(reply, "seq", out long? sequence))
        {
            return false;
        }

        parsed = new DhtGetReply(value, key, sequence, signature, token);
        return true;
    }

    /// <summary>The value, when there is one and it hashes to <paramref name="target"/> (BEP 44: an immutable item is checked by its hash).</summary>
    public bool TryGetImmutable(Id20 target, [NotNullWhen(true)] out byte[]? value)
    {
        value = _value is not null && DhtItemFormat.ImmutableTarget(_value) == target ? _value : null;
        return value is not null;
    }

    /// <summary>
    /// The mutable item, when the reply has all its fields, its key and <paramref name="salt"/>
    /// hash to <paramref name="target"/> and its signature verifies (BEP 44: both MUST be checked).
    /// </summary>
    public bool TryGetMutable(Id20 target, ReadOnlySpan<byte> salt, [NotNullWhen(true)] out DhtMutableItem? item)
    {
        item = null;
        if (_value is null || _publicKey is null || _signature is null || Sequence is not { } sequence
            || salt.Length > DhtItemFormat.MaxSaltLength
            || DhtItemFormat.MutableTarget(_publicKey, salt) != target)
        {
            return false;
        }

        var candidate = new DhtMutableItem(_publicKey, salt, sequence, _value, _signature);
        if (!candidate.Verify())
        {
            return false;
        }

        item = candidate;
        return true;
    }
}
