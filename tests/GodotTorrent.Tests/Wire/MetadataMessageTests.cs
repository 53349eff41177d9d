using GodotTorrent.Bencoding;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Wire;

public class MetadataMessageTests
{
    [Fact]
    public void Request_and_reject_round_trip()
    {
        var request = MetadataMessage.Parse(MetadataMessage.CreateRequest(3));
        Assert.Equal(MetadataMessageType.Request, request.Type);
        Assert.Equal(3, request.Piece);
        Assert.Equal("d8:msg_typei0e5:piecei3ee"u8.ToArray(), MetadataMessage.CreateRequest(3));

        var reject = MetadataMessage.Parse(MetadataMessage.CreateReject(0));
        Assert.Equal(MetadataMessageType.Reject, reject.Type);
        Assert.Equal(0, reject.Piece);
        Assert.Equal(MetadataMessage.CreateReject(0), reject.ToBytes());
    }

    [Theory]
    [InlineData(40_000, 0)]
    [InlineData(40_000, 2)]
    [InlineData(16_384, 0)]
    [InlineData(1, 0)]
    public void Data_round_trips_with_the_raw_bytes_after_the_dictionary(int totalSize, int piece)
    {
        var metadata = new byte[totalSize];
        new Random(totalSize).NextBytes(metadata);
        int length = MetadataMessage.PieceSize(totalSize, piece);
        var payload = MetadataMessage.CreateData(piece, totalSize, metadata.AsSpan(piece * MetadataMessage.PieceLength, length));

        var message = MetadataMessage.Parse(payload);

        Assert.Equal(MetadataMessageType.Data, message.Type);
        Assert.Equal(piece, message.Piece);
        Assert.Equal(totalSize, message.TotalSize);
        Assert.Equal(metadata.AsSpan(piece * MetadataMessage.PieceLength, length).ToArray(), message.Data.ToArray());
        Assert.Equal(payload, message.ToBytes());
    }

    [Fact]
    public void Unknown_message_types_are_ignorable_not_errors()
    {
        var message = MetadataMessage.Parse("d8:msg_typei7e5:piecei999999999ee"u8.ToArray());
        Assert.Equal(MetadataMessageType.Unknown, message.Type);
    }

    [Fact]
    public void Extra_keys_are_ignored()
    {
        var message = MetadataMessage.Parse("d1:xli1ee8:msg_typei0e5:piecei1ee"u8.ToArray());
        Assert.Equal(MetadataMessageType.Request, message.Type);
        Assert.Equal(1, message.Piece);
    }

    [Theory]
    [InlineData("")]
    [InlineData("le")]
    [InlineData("d5:piecei0ee")]
    [InlineData("d8:msg_type1:05:piecei0ee")]
    [InlineData("d8:msg_typei0ee")]
    [InlineData("d8:msg_typei0e5:piecei-1ee")]
    [InlineData("d8:msg_typei0e5:piecei1024ee")]
    [InlineData("d8:msg_typei1e5:piecei0ee")]
    [InlineData("d8:msg_typei1e5:piecei0e10:total_sizei0ee")]
    [InlineData("d8:msg_typei1e5:piecei0e10:total_sizei16777217ee")]
    [InlineData("d8:msg_typei1e5:piecei1e10:total_sizei3ee")]
    [InlineData("d8:msg_typei1e5:piecei0e10:total_sizei3eeab")]
    [InlineData("d8:msg_typei1e5:piecei0e10:total_sizei3eeabcd")]
    [InlineData("d8:msg_typei0e5:piecei0e")]
    public void Malformed_messages_throw_the_extension_error(string text)
    {
        var error = Assert.Throws<PeerProtocolException>(() => MetadataMessage.Parse(System.Text.Encoding.ASCII.GetBytes(text)));
        Assert.Equal(ErrorCode.InvalidExtensionMessage, error.ErrorCode);
    }

    [Fact]
    public void A_short_piece_that_is_not_the_last_is_refused()
    {
        var dictionary = new BDictionary();
        dictionary.Set("msg_type", new BInteger(1));
        dictionary.Set("piece", new BInteger(0));
        dictionary.Set("total_size", new BInteger(40_000));
        var payload = BencodeWriter.Encode(dictionary).Concat(new byte[1000]).ToArray();
        Assert.Throws<PeerProtocolException>(() => MetadataMessage.Parse(payload));
    }

    [Fact]
    public void The_size_limit_is_configurable()
    {
        var payload = MetadataMessage.CreateData(0, 2000, new byte[2000]);
        Assert.Equal(2000, MetadataMessage.Parse(payload, maxMetadataSize: 2000).TotalSize);
        Assert.Throws<PeerProtocolException>(() => MetadataMessage.Parse(payload, maxMetadataSize: 1999));
        Assert.Throws<PeerProtocolException>(() => MetadataMessage.Parse(MetadataMessage.CreateRequest(1), maxMetadataSize: 16_384));
    }

    [Fact]
    public void Ten_thousand_mutated_payloads_parse_or_throw_the_protocol_exception()
    {
        var metadata = new byte[20_000];
        new Random(5).NextBytes(metadata);
        var expected = new GodotTorrent.Metainfo.InfoHashes(GodotTorrent.Metainfo.InfoHash.ComputeV1(metadata), null);
        byte[][] seeds =
        [
            MetadataMessage.CreateRequest(1),
            MetadataMessage.CreateReject(0),
            MetadataMessage.CreateData(0, metadata.Length, metadata.AsSpan(0, 16_384)),
            MetadataMessage.CreateData(1, metadata.Length, metadata.AsSpan(16_384)),
        ];
        var random = new Random(90_001);
        var fetcher = new MetadataFetcher(expected, TimeProvider.System);
        fetcher.AddPeer(1, metadata.Length);
        int parsed = 0;
        int violations = 0;
        for (int n = 0; n < 10_000; n++)
        {
            var input = Mutate(seeds[random.Next(seeds.Length)], random);
            try
            {
                var message = MetadataMessage.Parse(input);
                parsed++;
                if (message.Type == MetadataMessageType.Data)
                {
                    fetcher.TryGetRequest(1, out _);
                    fetcher.OnData(1, message);
                }
                else if (message.Type == MetadataMessageType.Reject)
                {
                    fetcher.OnReject(1, message.Piece);
                }
            }
            catch (PeerProtocolException)
            {
                violations++;
            }
        }

        Assert.True(parsed > 100, $"{parsed} parsed");
        Assert.True(violations > 100, $"{violations} violations");
    }

    internal static byte[] Mutate(byte[] source, Random random)
    {
        var input = source.ToArray();
        for (int e = random.Next(1, 4); e > 0 && input.Length > 0; e--)
        {
            int pos = random.Next(Math.Min(input.Length, 80));
            switch (random.Next(5))
            {
                case 0:
                    input[pos] = (byte)random.Next(256);
                    break;
                case 1:
                    input[pos] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    input[pos] = (byte)"0123456789ilde:-"[random.Next(16)];
                    break;
                case 3:
                    input = input[..random.Next(input.Length + 1)];
                    break;
                default:
                    input = [.. input[..pos], .. input[pos..].Skip(random.Next(1, 4))];
                    break;
            }
        }

        return input;
    }
}
