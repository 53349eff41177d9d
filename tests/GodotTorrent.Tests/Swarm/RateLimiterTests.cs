using GodotTorrent.Swarm;
using Microsoft.Extensions.Time.Testing;

namespace GodotTorrent.Tests.Swarm;

public class RateLimiterTests
{
    private const int Block = BlockRequest.BlockSize;

    /// <summary>A greedy sender: every <paramref name="step"/> it takes as many <paramref name="chunk"/>-byte grants as it can.</summary>
    private static long Drive(FakeTimeProvider time, TimeSpan duration, TimeSpan step, int chunk, params RateLimiter[] limiters)
    {
        long total = 0;
        for (TimeSpan t = TimeSpan.Zero; t < duration; t += step)
        {
            time.Advance(step);
            foreach (RateLimiter limiter in limiters)
            {
                int got;
                while ((got = limiter.TryConsume(chunk)) > 0)
                {
                    total += got;
                }
            }
        }

        return total;
    }

    [Theory]
    [InlineData(10_000, Block, 10)]
    [InlineData(50_000, Block, 1)]
    [InlineData(100_000, Block, 10)]
    [InlineData(1_000_000, Block, 50)]
    [InlineData(1_000_000, 1_500, 1)]
    [InlineData(20_000_000, 64 * 1024, 100)]
    public void Greedy_consumption_holds_the_rate_within_5_percent_over_10_s(long rate, int chunk, int stepMs)
    {
        var time = new FakeTimeProvider();
        var limiter = new RateLimiter(time, new TokenBucket(time, rate), null);
        long total = Drive(time, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(stepMs), chunk, limiter);
        Assert.InRange(total, rate * 10 * 0.95, rate * 10 * 1.05);
    }

    [Fact]
    public void Burst_after_idle_is_bounded_by_a_quarter_second_of_rate()
    {
        var time = new FakeTimeProvider();
        var bucket = new TokenBucket(time, 100_000);
        Assert.Equal(0, bucket.TryConsume(1_000)); // starts empty: a new limit is not overshot
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(25_000, bucket.Available);
        var small = new TokenBucket(time, 1_000);
        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(Block, small.Available); // at least one block fits, even at 1 kB/s
    }

    [Fact]
    public void Upload_and_download_with_global_and_per_torrent_limits()
    {
        var time = new FakeTimeProvider();
        var globalUp = new TokenBucket(time, 300_000);
        var globalDown = new TokenBucket(time, 1_000_000);
        // Torrent A: 100 kB/s up, unlimited down; torrent B: unlimited up, 250 kB/s down.
        var upA = new RateLimiter(time, new TokenBucket(time, 100_000), globalUp);
        var upB = new RateLimiter(time, new TokenBucket(time, 0), globalUp);
        var downA = new RateLimiter(time, new TokenBucket(time, 0), globalDown);
        var downB = new RateLimiter(time, new TokenBucket(time, 250_000), globalDown);

        long upTotalA = 0, upTotalB = 0, downTotalA = 0, downTotalB = 0;
        for (int ms = 0; ms < 10_000; ms += 5)
        {
            time.Advance(TimeSpan.FromMilliseconds(5));
            Share(upA, upB, ref upTotalA, ref upTotalB);
            Share(downA, downB, ref downTotalA, ref downTotalB);
        }

        Assert.InRange(upTotalA, 950_000, 1_050_000); // its own cap binds
        Assert.InRange(upTotalA + upTotalB, 2_850_000, 3_150_000); // the global cap binds the sum
        Assert.InRange(downTotalB, 2_375_000, 2_625_000);
        Assert.InRange(downTotalA + downTotalB, 9_500_000, 10_500_000);

        // Two torrents' peers take turns in small quanta, as the engine loop interleaves them; a greedy
        // first-come loop would let one torrent drain the shared global bucket.
        static void Share(RateLimiter a, RateLimiter b, ref long totalA, ref long totalB)
        {
            while (true)
            {
                int gotA = a.TryConsume(1_000);
                int gotB = b.TryConsume(1_000);
                totalA += gotA;
                totalB += gotB;
                if (gotA == 0 && gotB == 0)
                {
                    return;
                }
            }
        }
    }

    [Fact]
    public void Zero_is_unlimited()
    {
        var time = new FakeTimeProvider();
        var limiter = new RateLimiter(time, new TokenBucket(time, 0), new TokenBucket(time, 0));
        Assert.Equal(int.MaxValue, limiter.TryConsume(int.MaxValue));
        Assert.Equal(TimeSpan.Zero, limiter.WhenAvailable(int.MaxValue));
        Assert.True(limiter.WaitAsync(1 << 30).AsTask().IsCompletedSuccessfully);
        Assert.Equal(5, new RateLimiter(time, null, null).TryConsume(5));
    }

    [Fact]
    public void When_available_predicts_the_wait()
    {
        var time = new FakeTimeProvider();
        var limiter = new RateLimiter(time, new TokenBucket(time, 131_072), new TokenBucket(time, 16_384));
        Assert.Equal(TimeSpan.FromSeconds(1), limiter.WhenAvailable(Block));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, limiter.WhenAvailable(Block));
        Assert.Equal(Block, limiter.TryConsume(Block * 4)); // the global bucket grants one block; the torrent's gets its refund
        Assert.Equal(Block, limiter.Torrent!.Available);
    }

    [Fact]
    public async Task WaitAsync_holds_the_rate_on_fake_time_within_5_percent()
    {
        var time = new FakeTimeProvider();
        const long Rate = 200_000;
        var limiter = new RateLimiter(time, new TokenBucket(time, Rate), new TokenBucket(time, 10_000_000));
        long total = 0;
        TimeSpan end = TimeSpan.FromSeconds(10);
        DateTimeOffset start = time.GetUtcNow();
        while (time.GetUtcNow() - start < end)
        {
            // 64 KiB sends: larger than a block, so some leave the bucket in debt that later refills repay.
            Task wait = limiter.WaitAsync(64 * 1024).AsTask();
            while (!wait.IsCompleted)
            {
                // Jump straight to when the limiter says the bytes are there (at least 1 ms).
                TimeSpan due = limiter.WhenAvailable(64 * 1024);
                time.Advance(due > TimeSpan.FromMilliseconds(1) ? due : TimeSpan.FromMilliseconds(1));
                await Task.WhenAny(wait, Task.Delay(TimeSpan.FromMilliseconds(20)));
            }

            await wait;
            if (time.GetUtcNow() - start <= end)
            {
                total += 64 * 1024;
            }
        }

        Assert.InRange(total, Rate * 10 * 0.95, Rate * 10 * 1.05);
    }

    [Fact]
    public async Task WaitAsync_is_cancellable()
    {
        var time = new FakeTimeProvider();
        var limiter = new RateLimiter(time, new TokenBucket(time, 1_000), null);
        using var cts = new CancellationTokenSource();
        Task wait = limiter.WaitAsync(Block, cts.Token).AsTask();
        Assert.False(wait.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public void Consuming_a_whole_block_takes_all_or_gives_every_token_back()
    {
        var time = new FakeTimeProvider();
        var torrent = new TokenBucket(time, 131_072);
        var global = new TokenBucket(time, 131_072);
        var limiter = new RateLimiter(time, torrent, global);
        time.Advance(TimeSpan.FromSeconds(1));
        global.Consume(global.Available - 1000); // the session has only 1000 bytes left

        Assert.False(limiter.TryConsumeAll(Block));
        Assert.Equal(1000, global.Available);
        Assert.Equal(32_768, torrent.Available);

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryConsumeAll(Block));
        Assert.Equal(32_768 - Block, torrent.Available);
    }
}
