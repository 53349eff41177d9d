using System.Security.Cryptography;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Metainfo;

/// <summary>Sixteen SHA-1 or SHA-256 lanes at once give the digests the platform's hashes give one by one.</summary>
public sealed class HashLanesTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(55)] // the padding fits in the last block
    [InlineData(56)] // the padding needs a second block
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(119)]
    [InlineData(120)]
    [InlineData(16 * 1024)]
    [InlineData((256 * 1024) + 17)]
    public void Sixteen_messages_hash_as_sha1_hashes_each(int length)
    {
        if (!Sha1Lanes.IsSupported)
        {
            Assert.Throws<PlatformNotSupportedException>(() => new Sha1Lanes().Append(new byte[Sha1Lanes.Count * 64], 64, 1));
            return;
        }

        AssertAsOneByOne(new Sha1Lanes(), Sha1Lanes.DigestSize, data => SHA1.HashData(data), length, stride: length + 100, seed: length, split: 2);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(55)]
    [InlineData(56)]
    [InlineData(64)]
    [InlineData(16 * 1024)] // a BEP 52 leaf
    [InlineData((16 * 1024) - 1000)] // a file's short last leaf
    [InlineData(100_003)]
    public void Sixteen_messages_hash_as_sha256_hashes_each(int length)
    {
        if (!Sha256Lanes.IsSupported)
        {
            Assert.Throws<PlatformNotSupportedException>(() => new Sha256Lanes().Append(new byte[Sha256Lanes.Count * 64], 64, 1));
            return;
        }

        AssertAsOneByOne(new Sha256Lanes(), Sha256Lanes.DigestSize, data => SHA256.HashData(data), length, stride: length + 36, seed: length + 1, split: 3);
    }

    [Fact]
    public void After_finishing_the_lanes_start_new_messages()
    {
        if (!Sha1Lanes.IsSupported)
        {
            Assert.Throws<PlatformNotSupportedException>(() => new Sha1Lanes().Finish([], 0, 0, new byte[Sha1Lanes.Count * 20]));
            return;
        }

        var data = new byte[Sha1Lanes.Count * 128];
        new Random(7).NextBytes(data);
        var lanes = new Sha1Lanes();
        var first = new byte[Sha1Lanes.Count * 20];
        var second = new byte[Sha1Lanes.Count * 20];
        lanes.Append(data, 128, 2);
        lanes.Finish(data, 128, 128, first);
        lanes.Append(data, 128, 2);
        lanes.Finish(data, 128, 128, second);

        Assert.Equal(first, second);
        Assert.Equal(SHA1.HashData(data.AsSpan(0, 128)), first.AsSpan(0, 20).ToArray());
    }

    [Fact]
    public void Data_shorter_than_sixteen_strides_is_refused()
    {
        var lanes = new Sha1Lanes();

        Assert.Throws<ArgumentException>(() => lanes.Append(new byte[(15 * 128) + 63], 128, 1));
    }

    // Sixteen messages of `length` bytes, `stride` apart (longer than a message: the lanes must read
    // their own bytes, not their neighbours'), appended in two parts (as a check of a big piece
    // appends chunk by chunk), against the platform's hash of each; then once more, since the lanes
    // start over after Finish.
    private static void AssertAsOneByOne(HashLanes lanes, int digestSize, Func<byte[], byte[]> reference, int length, int stride, int seed, int split)
    {
        var data = new byte[HashLanes.Count * stride];
        new Random(seed).NextBytes(data);
        var digests = new byte[HashLanes.Count * digestSize];
        int blocks = length / HashLanes.BlockSize;
        int first = blocks / split;
        lanes.Append(data, stride, first);
        lanes.Append(data.AsSpan(first * HashLanes.BlockSize), stride, blocks - first);
        lanes.Finish(data.AsSpan(blocks * HashLanes.BlockSize), stride, length, digests);

        for (int lane = 0; lane < HashLanes.Count; lane++)
        {
            Assert.Equal(reference(data.AsSpan(lane * stride, length).ToArray()), digests.AsSpan(lane * digestSize, digestSize).ToArray());
        }

        lanes.Append(data, stride, blocks);
        lanes.Finish(data.AsSpan(blocks * HashLanes.BlockSize), stride, length, digests);
        Assert.Equal(reference(data.AsSpan(15 * stride, length).ToArray()), digests.AsSpan(15 * digestSize, digestSize).ToArray());
    }
}
