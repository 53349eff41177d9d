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

        // A stride longer than the message: the lanes must read their own bytes, not their neighbours'.
        int stride = length + 100;
        var data = new byte[Sha1Lanes.Count * stride];
        new Random(length).NextBytes(data);
        var lanes = new Sha1Lanes();
        var digests = new byte[Sha1Lanes.Count * 20];

        // In two appends when there are enough blocks, as a check of a big piece appends chunk by chunk.
        int blocks = length / Sha1Lanes.BlockSize;
        int first = blocks / 2;
        lanes.Append(data, stride, first);
        lanes.Append(data.AsSpan(first * Sha1Lanes.BlockSize), stride, blocks - first);
        lanes.Finish(data.AsSpan(blocks * Sha1Lanes.BlockSize), stride, length, digests);

        for (int lane = 0; lane < Sha1Lanes.Count; lane++)
        {
            Assert.Equal(SHA1.HashData(data.AsSpan(lane * stride, length)), digests.AsSpan(lane * 20, 20).ToArray());
        }
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

        int stride = length + 36;
        var data = new byte[Sha256Lanes.Count * stride];
        new Random(length + 1).NextBytes(data);
        var lanes = new Sha256Lanes();
        var digests = new byte[Sha256Lanes.Count * 32];

        int blocks = length / Sha256Lanes.BlockSize;
        int first = blocks / 3;
        lanes.Append(data, stride, first);
        lanes.Append(data.AsSpan(first * Sha256Lanes.BlockSize), stride, blocks - first);
        lanes.Finish(data.AsSpan(blocks * Sha256Lanes.BlockSize), stride, length, digests);

        for (int lane = 0; lane < Sha256Lanes.Count; lane++)
        {
            Assert.Equal(SHA256.HashData(data.AsSpan(lane * stride, length)), digests.AsSpan(lane * 32, 32).ToArray());
        }

        // Used again after Finish, the lanes start over.
        lanes.Append(data, stride, blocks);
        lanes.Finish(data.AsSpan(blocks * Sha256Lanes.BlockSize), stride, length, digests);
        Assert.Equal(SHA256.HashData(data.AsSpan(15 * stride, length)), digests.AsSpan(15 * 32, 32).ToArray());
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
}
