using GodotTorrent.Wire;

namespace GodotTorrent.Dht.Items;

/// <summary>
/// A BEP 44 mutable item: a bencoded value stored under an Ed25519 public key and an optional
/// salt, with a sequence number and the key's signature over both. Immutable; the arrays given
/// are copied.
/// </summary>
internal sealed class DhtMutableItem
{
    private readonly byte[] _publicKey;
    private readonly byte[] _salt;
    private readonly byte[] _value;
    private readonly byte[] _signature;

    /// <summary>An item as received or stored; call <see cref="Verify"/> before trusting it.</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes or the signature not 64.</exception>
    public DhtMutableItem(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> salt, long sequence, ReadOnlySpan<byte> encodedValue, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != Ed25519.PublicKeyLength || signature.Length != Ed25519.SignatureLength)
        {
            throw new ArgumentException("A mutable item has a 32-byte public key and a 64-byte signature.");
        }

        _publicKey = publicKey.ToArray();
        _salt = salt.ToArray();
        Sequence = sequence;
        _value = encodedValue.ToArray();
        _signature = signature.ToArray();
    }

    /// <summary>The 32-byte Ed25519 public key (<c>k</c>).</summary>
    public ReadOnlySpan<byte> PublicKey => _publicKey;

    /// <summary>The salt; empty when there is none.</summary>
    public ReadOnlySpan<byte> Salt => _salt;

    /// <summary>The sequence number (<c>seq</c>).</summary>
    public long Sequence { get; }

    /// <summary>The value (<c>v</c>), bencoded as it was signed.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>The 64-byte signature (<c>sig</c>).</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>Where the item is stored: SHA-1 of the key and salt.</summary>
    public Id20 Target => DhtItemFormat.MutableTarget(_publicKey, _salt);

    /// <summary>True when the value and salt are within BEP 44's sizes.</summary>
    public bool IsWithinLimits => _value.Length <= DhtItemFormat.MaxValueLength && _salt.Length <= DhtItemFormat.MaxSaltLength;

    /// <summary>Signs <paramref name="encodedValue"/> (already bencoded) under <paramref name="keys"/> and <paramref name="salt"/>.</summary>
    /// <exception cref="ArgumentException">The value or salt is larger than BEP 44 allows.</exception>
    public static DhtMutableItem Sign(DhtKeyPair keys, ReadOnlySpan<byte> salt, long sequence, ReadOnlySpan<byte> encodedValue)
    {
        ArgumentNullException.ThrowIfNull(keys);
        CheckLimits(salt, encodedValue);
        byte[] signature = keys.Sign(DhtItemFormat.SignedBuffer(salt, sequence, encodedValue));
        return new DhtMutableItem(keys.PublicKey, salt, sequence, encodedValue, signature);
    }

    /// <summary>As <see cref="Sign"/>, with a 64-byte expanded secret (libtorrent's form, and BEP 44's test vectors').</summary>
    public static DhtMutableItem SignExpanded(ReadOnlySpan<byte> expandedSecret, ReadOnlySpan<byte> salt, long sequence, ReadOnlySpan<byte> encodedValue)
    {
        CheckLimits(salt, encodedValue);
        byte[] publicKey = Ed25519.PublicKeyFromExpanded(expandedSecret);
        byte[] signature = Ed25519.SignExpanded(expandedSecret, publicKey, DhtItemFormat.SignedBuffer(salt, sequence, encodedValue));
        return new DhtMutableItem(publicKey, salt, sequence, encodedValue, signature);
    }

    /// <summary>True when the signature is the key's over the salt, sequence number and value.</summary>
    public bool Verify() => Ed25519.Verify(_publicKey, DhtItemFormat.SignedBuffer(_salt, Sequence, _value), _signature);

    /// <summary>True when this item carries the same value as <paramref name="other"/> (byte for byte, bencoded).</summary>
    public bool HasSameValue(DhtMutableItem other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return _value.AsSpan().SequenceEqual(other._value);
    }

    private static void CheckLimits(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> encodedValue)
    {
        if (encodedValue.Length > DhtItemFormat.MaxValueLength)
        {
            throw new ArgumentException($"A BEP 44 value is at most {DhtItemFormat.MaxValueLength} bytes bencoded.", nameof(encodedValue));
        }

        if (salt.Length > DhtItemFormat.MaxSaltLength)
        {
            throw new ArgumentException($"A BEP 44 salt is at most {DhtItemFormat.MaxSaltLength} bytes.", nameof(salt));
        }
    }
}
