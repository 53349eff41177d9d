using System.Net;
using System.Net.Http.Headers;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;
using GodotTorrent.WebSeeds;

namespace GodotTorrent.Tests.WebSeeds;

/// <summary>
/// The fetcher reads a body in large reads and cuts it into 16 KiB blocks: every byte lands in the
/// right block whatever sizes the reads come in, across ranges and zero-filled parts, and a body
/// that ends early or runs on never hands over the block it would have completed.
/// </summary>
public sealed class WebSeedFetcherTests
{
    private const int Block = BlockRequest.BlockSize;

    // Two pieces of 3.5 blocks: 8 blocks, the 4th and the 8th half-length.
    private const int PieceLength = (3 * Block) + (Block / 2);

    [Theory]
    [InlineData(1)]
    [InlineData(7_000)]
    [InlineData(Block)]
    [InlineData(200_000)]
    public async Task BlocksHoldTheBodysBytesWhateverTheReadSizes(int chunk)
    {
        var file = Bytes(2 * PieceLength, seed: 1);
        using var server = new ChunkedServer(file, chunk);

        // Bytes 0..40,000 from the file, then 1,000 zeros (a pad file), then the rest from the file
        // again at another offset: a block straddles each boundary.
        var segments = new[]
        {
            new WebSeedSegment("http://cdn.test/a", 0, 40_000, file.Length),
            new WebSeedSegment(null, 0, 1_000, 1_000),
            new WebSeedSegment("http://cdn.test/a", 41_000, file.Length - 41_000, file.Length),
        };
        var expected = file.ToArray();
        expected.AsSpan(40_000, 1_000).Clear();

        var (failure, delivered) = await FetchAsync(server, segments);

        Assert.Null(failure);
        Assert.Equal(AllBlocks().Count, delivered.Count);
        Assert.Equal(expected, Join(delivered));
        Assert.Equal(AllBlocks(), delivered.Select(d => d.Block).ToList());
        Assert.Equal(2, server.Requests);
    }

    [Theory]
    [InlineData(7_000)]
    [InlineData(200_000)]
    public async Task BodyLongerThanAskedIsRefusedAndItsLastBlockIsNotHandedOver(int chunk)
    {
        var file = Bytes(2 * PieceLength, seed: 2);
        using var server = new ChunkedServer(file, chunk) { ExtraBytes = 10 };

        var (failure, delivered) = await FetchAsync(server, [new WebSeedSegment("http://cdn.test/a", 0, file.Length, file.Length)]);

        Assert.Equal(ErrorCode.WebSeedBadReply, failure?.Code);
        Assert.Contains("longer", failure!.Message, StringComparison.Ordinal);
        Assert.Equal(AllBlocks().SkipLast(1), delivered.Select(d => d.Block));
        Assert.Equal(file.AsSpan(0, file.Length - (Block / 2)).ToArray(), Join(delivered));
    }

    [Theory]
    [InlineData(7_000)]
    [InlineData(200_000)]
    public async Task BodyEndingShortIsRefusedAndOnlyItsWholeBlocksAreHandedOver(int chunk)
    {
        var file = Bytes(2 * PieceLength, seed: 3);
        int sent = (2 * Block) + 100;
        using var server = new ChunkedServer(file, chunk) { SendOnly = sent };

        var (failure, delivered) = await FetchAsync(server, [new WebSeedSegment("http://cdn.test/a", 0, file.Length, file.Length)]);

        Assert.Equal(ErrorCode.WebSeedBadReply, failure?.Code);
        Assert.Contains("short", failure!.Message, StringComparison.Ordinal);
        Assert.Equal(AllBlocks().Take(2), delivered.Select(d => d.Block));
        Assert.Equal(file.AsSpan(0, 2 * Block).ToArray(), Join(delivered));
    }

    private static List<BlockRequest> AllBlocks()
    {
        var blocks = new List<BlockRequest>();
        for (int piece = 0; piece < 2; piece++)
        {
            for (int offset = 0; offset < PieceLength; offset += Block)
            {
                blocks.Add(new BlockRequest(piece, offset, Math.Min(Block, PieceLength - offset)));
            }
        }

        return blocks;
    }

    private static async Task<(WebSeedFailure? Failure, List<(BlockRequest Block, byte[] Bytes)> Delivered)> FetchAsync(ChunkedServer server, WebSeedSegment[] segments)
    {
        var delivered = new List<(BlockRequest Block, byte[] Bytes)>();
        using var client = new HttpClient(server, disposeHandler: false);
        var fetcher = new WebSeedFetcher(client, TimeProvider.System, TimeSpan.FromMinutes(1), "test");
        var failure = await fetcher.FetchAsync(new WebSeedRun(AllBlocks(), segments), (block, buffer) =>
        {
            delivered.Add((block, buffer.AsSpan(0, block.Length).ToArray()));
            BlockPool.Shared.Return(buffer);
        }, CancellationToken.None);
        return (failure, delivered);
    }

    private static byte[] Join(List<(BlockRequest Block, byte[] Bytes)> delivered) => delivered.SelectMany(d => d.Bytes).ToArray();

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Answers each ranged GET with a 206 whose body comes in reads of at most <c>chunk</c> bytes, with no Content-Length.</summary>
    private sealed class ChunkedServer(byte[] file, int chunk) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        /// <summary>Bytes of garbage sent after the range (a body longer than asked).</summary>
        public int ExtraBytes { get; init; }

        /// <summary>When set, the body stops after this many bytes (a body shorter than asked).</summary>
        public int? SendOnly { get; init; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            var range = request.Headers.Range!.Ranges.Single();
            int from = (int)range.From!.Value;
            int length = (int)range.To!.Value - from + 1;
            var body = new byte[Math.Min(SendOnly ?? int.MaxValue, length) + ExtraBytes];
            file.AsSpan(from, body.Length - ExtraBytes).CopyTo(body);
            var content = new StreamContent(new ChunkStream(body, chunk));
            content.Headers.ContentRange = new ContentRangeHeaderValue(from, from + length - 1);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = content });
        }
    }

    /// <summary>A read-only stream that returns at most <c>chunk</c> bytes per read.</summary>
    private sealed class ChunkStream(byte[] data, int chunk) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
