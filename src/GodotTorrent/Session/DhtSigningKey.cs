using GodotTorrent.Dht.Items;

namespace GodotTorrent.Session;

/// <summary>
/// An Ed25519 key pair that signs BEP 44 mutable items: a BEP 46 publisher's identity (an update
/// channel is its public key and a salt). Keep the file secret; share <see cref="PublicKeyHex"/>.
/// </summary>
/// <remarks>The file is the one <c>gdtorrent keygen</c> writes (three ASCII lines: header, seed, public key).</remarks>
public sealed class DhtSigningKey
{
    private DhtSigningKey(DhtKeyPair pair) => Pair = pair;

    /// <summary>The 32-byte public key.</summary>
    public ReadOnlyMemory<byte> PublicKey => Pair.PublicKey.ToArray();

    /// <summary>The public key as 64 lower-case hex digits, as a BEP 46 magnet carries it.</summary>
    public string PublicKeyHex => Pair.PublicKeyHex;

    internal DhtKeyPair Pair { get; }

    /// <summary>A new key from the system's random generator.</summary>
    public static DhtSigningKey Generate() => new(DhtKeyPair.Generate());

    /// <summary>Reads a key file.</summary>
    /// <exception cref="TorrentFormatException"><see cref="ErrorCode.InvalidKeyFile"/>: not a key file, or damaged.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DhtSigningKey Load(string path) => new(DhtKeyPair.Load(path));

    /// <summary>Writes the key file (readable by its owner only where the system has modes).</summary>
    /// <exception cref="IOException">The file exists and <paramref name="overwrite"/> is false, or it cannot be written.</exception>
    public void Save(string path, bool overwrite = false) => Pair.Save(path, overwrite);
}
