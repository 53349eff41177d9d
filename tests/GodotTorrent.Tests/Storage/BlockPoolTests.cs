using System.Buffers;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

public class BlockPoolTests
{
    [Fact]
    public void AReturnedBlockIsRentedAgainInsteadOfANewOne()
    {
        var pool = new BlockPool(4);
        var first = pool.Rent(BlockPool.BlockSize);
        Assert.Equal(BlockPool.BlockSize, first.Length);

        pool.Return(first);
        Assert.Equal(1, pool.KeptCount);

        // A short last block still gets a whole block buffer, and it is the one kept.
        Assert.Same(first, pool.Rent(1000));
        Assert.Equal(0, pool.KeptCount);
    }

    [Fact]
    public void KeepsNoMoreThanItsLimit()
    {
        var pool = new BlockPool(2);
        var rented = Enumerable.Range(0, 5).Select(_ => pool.Rent(BlockPool.BlockSize)).ToList();
        Assert.Equal(5, rented.Distinct().Count());

        rented.ForEach(pool.Return);
        Assert.Equal(2, pool.KeptCount);
    }

    [Fact]
    public void BuffersOfOtherSizesGoThroughTheSharedPool()
    {
        var pool = new BlockPool(4);
        var large = pool.Rent(BlockPool.BlockSize + 1);
        Assert.True(large.Length > BlockPool.BlockSize);

        pool.Return(large);
        pool.Return(ArrayPool<byte>.Shared.Rent(100));
        Assert.Equal(0, pool.KeptCount);
    }
}
