namespace GodotTorrent.Cli.Http;

/// <summary>
/// Reads request heads off one connection into a fixed buffer: a head larger than the buffer is
/// refused rather than grown, and bytes after a head (a pipelined request) are kept for the next.
/// </summary>
internal sealed class HttpHeadReader
{
    /// <summary>The largest head accepted (request line and headers).</summary>
    public const int MaxHead = 16 * 1024;

    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[MaxHead];
    private int _count;

    public HttpHeadReader(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>The outcome of one read.</summary>
    internal enum Result
    {
        Head,
        Closed,
        TooLarge,
    }

    /// <summary>Reads the next head; its bytes (without the blank line) go to <paramref name="head"/>.</summary>
    public async Task<(Result Result, byte[] Head)> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            int end = _buffer.AsSpan(0, _count).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                byte[] head = _buffer.AsSpan(0, end).ToArray();
                int used = end + 4;
                Buffer.BlockCopy(_buffer, used, _buffer, 0, _count - used);
                _count -= used;
                return (Result.Head, head);
            }

            if (_count == _buffer.Length)
            {
                return (Result.TooLarge, []);
            }

            int read = await _stream.ReadAsync(_buffer.AsMemory(_count), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (Result.Closed, []);
            }

            _count += read;
        }
    }
}
