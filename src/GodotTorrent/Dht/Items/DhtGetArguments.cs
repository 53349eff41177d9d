using System.Diagnostics.CodeAnalysis;
using GodotTorrent.Bencoding;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht.Items;

/// <summary>The item arguments of a BEP 44 <c>get</c> query: the target and, optionally, the sequence number the asker already has.</summary>
/// <param name="Target">SHA-1 of the value (immutable) or of the public key and salt (mutable).</param>
/// <param name="Sequence">Send the item only when its sequence number is greater than this.</param>
internal sealed record DhtGetArguments(Id20 Target, long? Sequence = null)
{
    /// <summary>Adds <c>target</c> (and <c>seq</c>) to the query's <c>a</c> dictionary; the node adds <c>id</c>.</summary>
    public void WriteTo(BDictionary arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        arguments.Set("target", new BString(Target.ToArray()));
        if (Sequence is { } sequence)
        {
            arguments.Set("seq", new BInteger(sequence));
        }
    }

    /// <summary>Reads a query's <c>a</c> dictionary; false (answer with 203) when <c>target</c> is missing or not 20 bytes, or <c>seq</c> is not an integer.</summary>
    public static bool TryParse(BDictionary arguments, [NotNullWhen(true)] out DhtGetArguments? parsed)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        parsed = null;
        if (!DhtItemArguments.TryGetBytes(arguments, "target", Id20.Length, Id20.Length, out byte[]? target, out _)
            || target is null
            || !DhtItemArguments.TryGetInteger(arguments, "seq", out long? sequence))
        {
            return false;
        }

        parsed = new DhtGetArguments(new Id20(target), sequence);
        return true;
    }
}
