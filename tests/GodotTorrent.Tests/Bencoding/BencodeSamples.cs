using System.Text;
using GodotTorrent.Bencoding;

namespace GodotTorrent.Tests.Bencoding;

/// <summary>Inputs and generated values shared by the bencode tests.</summary>
internal static class BencodeSamples
{
    /// <summary>Latin-1 maps each char to one byte, so test strings can carry any byte value.</summary>
    public static byte[] Bytes(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>A torrent-like file whose info dictionary has unsorted keys, as some real torrents do.</summary>
    public static byte[] TorrentLike(int pieceCount = 12, int seed = 7)
    {
        var random = new Random(seed);
        var pieces = new byte[pieceCount * 20];
        random.NextBytes(pieces);
        var output = new List<byte>();
        output.AddRange(Bytes(
            "d" + S("announce") + S("http://tracker.example/announce") +
            S("announce-list") + "ll" + S("http://tracker.example/announce") + "el" + S("udp://tracker.example:1") + "ee" +
            S("comment") + S("test torrent") + S("created by") + S("GodotTorrent0") + S("creation date") + "i1700000000e" +
            S("info") + "d" + S("name") + S("content") + S("piece length") + "i16384e" +
            S("files") + "ld" + S("length") + "i100000e" + S("path") + "l" + S("dir") + S("file.bin") + "ee" +
            "d" + S("length") + "i96608e" + S("path") + "l" + S("other.txt") + "eee" +
            S("private") + "i1e" + S("pieces") + pieces.Length + ":"));
        output.AddRange(pieces);
        output.AddRange(Bytes("e" + S("url-list") + "l" + S("http://seed.example/a/") + "ee"));
        return [.. output];
    }

    /// <summary>A string in bencoded form: its length, a colon, then the text.</summary>
    public static string S(string text) => $"{text.Length}:{text}";

    /// <summary>Small, valid samples covering every syntax, used as seeds for mutation.</summary>
    public static IReadOnlyList<byte[]> Valid { get; } =
    [
        TorrentLike(),
        Bytes("d1:ad2:id20:abcdefghij01234567896:target20:mnopqrstuvwxyz123456e1:q9:find_node1:t2:aa1:y1:qe"),
        Bytes("d8:msg_typei1e5:piecei0e10:total_sizei34256ee"),
        Bytes("li0ei-1ei9223372036854775807ei-9223372036854775808e0:4:spamlleedee"),
        Bytes("d3:bard3:bazli1ei2ee3:food0:0:ee1:ale1:b1:\u00ffe"),
        Bytes("i42e"),
        Bytes("4:spam"),
    ];

    /// <summary>A random value tree; strings are arbitrary bytes and integers cover the extremes.</summary>
    public static BValue RandomValue(Random random, int depth = 0)
    {
        int kind = depth >= 4 ? random.Next(2) : random.Next(4);
        switch (kind)
        {
            case 0:
                return new BInteger(random.Next(6) switch
                {
                    0 => long.MinValue,
                    1 => long.MaxValue,
                    2 => 0,
                    3 => random.Next(-1000, 1000),
                    _ => random.NextInt64(long.MinValue, long.MaxValue),
                });
            case 1:
                return RandomString(random);
            case 2:
                var list = new BList();
                for (int i = random.Next(6); i > 0; i--)
                {
                    list.Add(RandomValue(random, depth + 1));
                }

                return list;
            default:
                var dictionary = new BDictionary();
                for (int i = random.Next(6); i > 0; i--)
                {
                    dictionary.Set(RandomString(random), RandomValue(random, depth + 1));
                }

                return dictionary;
        }
    }

    private static BString RandomString(Random random)
    {
        var bytes = new byte[random.Next(random.Next(4) == 0 ? 300 : 12)];
        random.NextBytes(bytes);
        return new BString(bytes);
    }
}
