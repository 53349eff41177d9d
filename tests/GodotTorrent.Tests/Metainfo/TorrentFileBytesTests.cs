using GodotTorrent.Metainfo;

namespace GodotTorrent.Tests.Metainfo;

public class TorrentFileBytesTests
{
    [Fact]
    public async Task A_device_that_says_it_is_empty_is_read_in_large_chunks_up_to_the_limit()
    {
        // /dev/zero is seekable and 0 bytes long: Stream.CopyTo's own buffer size was 1 byte.
        using var device = new EndlessZeroDevice();
        var sync = Assert.ThrowsAny<TorrentFormatException>(() => TorrentFileBytes.Read(device, 1 << 20));
        Assert.Equal(ErrorCode.InputTooLarge, sync.ErrorCode);
        Assert.InRange(device.Reads, 1, 64);

        using var asyncDevice = new EndlessZeroDevice();
        var async = await Assert.ThrowsAnyAsync<TorrentFormatException>(() => TorrentFileBytes.ReadAsync(asyncDevice, 1 << 20, CancellationToken.None));
        Assert.Equal(ErrorCode.InputTooLarge, async.ErrorCode);
        Assert.InRange(asyncDevice.Reads, 1, 64);
    }

    private sealed class EndlessZeroDevice : Stream
    {
        public int Reads { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => 0;

        public override long Position { get; set; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            Reads++;
            Array.Clear(buffer, offset, count);
            return count;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => 0;

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
