using GodotTorrent.Metainfo;
using GodotTorrent.Torrent;

namespace GodotTorrent.Session;

/// <summary>
/// A read-only, seekable stream over one file of a torrent, from <see cref="TorrentHandle.OpenFileStreamAsync"/>.
/// A read waits until the piece holding its first byte is downloaded and has passed its hash check, then
/// returns bytes from storage (at most up to the end of that piece); only verified data is ever returned.
/// </summary>
/// <remarks>
/// <para>While a read waits, its piece and the pieces of the read-ahead window after it are
/// time-critical for the torrent: requested before anything else, fastest peers first, and asked of a
/// second peer when late. That holds even for a file set to <see cref="Priority.Skip"/>. A seek moves the
/// window; a cancelled read or disposing the stream releases it. Several streams, also on the same file,
/// may be open at once (up to 64 a torrent).</para>
/// <para>Like other streams it is for one reader at a time. Use the asynchronous methods: the synchronous
/// <see cref="Read(byte[], int, int)"/> blocks its thread until the data arrives. Reading fails with
/// <see cref="TorrentException"/> when the torrent is removed.</para>
/// </remarks>
public sealed class TorrentFileStream : Stream
{
    private readonly TorrentRuntime _runtime;
    private readonly FileEntry _file;
    private readonly int _pieceLength;
    private readonly int _id;
    private long _position;
    private bool _disposed;

    internal TorrentFileStream(TorrentRuntime runtime, FileEntry file, int pieceLength, int id, long readAhead)
    {
        _runtime = runtime;
        _file = file;
        _pieceLength = pieceLength;
        _id = id;
        ReadAhead = readAhead;
    }

    /// <summary>The index of the file in <see cref="TorrentInfo.Files"/>.</summary>
    public int FileIndex => _file.Index;

    /// <summary>Bytes after the read position whose pieces are made time-critical.</summary>
    public long ReadAhead { get; }

    /// <inheritdoc/>
    public override bool CanRead => !_disposed;

    /// <inheritdoc/>
    public override bool CanSeek => !_disposed;

    /// <inheritdoc/>
    public override bool CanWrite => false;

    /// <summary>The file's length in bytes.</summary>
    public override long Length => _file.Length;

    /// <inheritdoc/>
    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>Moves the read position and the read-ahead window with it. Past the end is allowed (reads return 0).</summary>
    public override long Seek(long offset, SeekOrigin origin)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _file.Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        if (target < 0)
        {
            throw new IOException("A seek before the start of the file.");
        }

        _position = target;
        if (target < _file.Length)
        {
            // The window moves now, so pieces arrive while the caller gets ready to read.
            var (first, last) = Window(_file.Offset + target);
            _ = _runtime.Loop.InvokeAsync(() => _runtime.Streams.Move(_id, first, last));
        }

        return _position;
    }

    /// <inheritdoc/>
#pragma warning disable RS0027 // Stream's own signature, default included, so callers can leave the token out as with any stream.
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
#pragma warning restore RS0027
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_runtime.IsRemoved)
        {
            throw new TorrentException(ErrorCode.InvalidHandle, "The torrent was removed from its session.");
        }

        if (buffer.IsEmpty || _position >= _file.Length)
        {
            return 0;
        }

        long absolute = _file.Offset + _position;
        int piece = (int)(absolute / _pieceLength);
        int offset = (int)(absolute % _pieceLength);
        int count = (int)Math.Min(Math.Min(buffer.Length, _file.Length - _position), _pieceLength - offset);
        var (_, last) = Window(absolute);
        var target = buffer[..count];
        int read = await _runtime.Loop.InvokeAsync(() => _runtime.Streams.ReadAsync(_id, piece, last, offset, target, cancellationToken))
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Blocks until the data is there; prefer <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>. Never call it on the engine's own thread.</summary>
    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_runtime.Loop.IsCurrent)
        {
            throw new InvalidOperationException("A blocking read on the engine loop would wait for itself.");
        }

        return ReadAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    /// <inheritdoc/>
    public override void Flush()
    {
    }

    /// <summary>Not supported: the stream is read-only.</summary>
    public override void SetLength(long value) => throw new NotSupportedException("A torrent stream is read-only.");

    /// <summary>Not supported: the stream is read-only.</summary>
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A torrent stream is read-only.");

    /// <summary>Releases the stream's window and fails its waiting read, once the engine has done so.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            try
            {
                await _runtime.Loop.InvokeAsync(() => _runtime.Streams.Close(_id)).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The session is gone, and its streams with it.
            }
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _ = _runtime.Loop.InvokeAsync(() => _runtime.Streams.Close(_id));
        }

        base.Dispose(disposing);
    }

    /// <summary>The pieces from the one holding <paramref name="absolute"/> to the end of the read-ahead (within the file).</summary>
    private (int First, int Last) Window(long absolute)
    {
        int first = (int)(absolute / _pieceLength);
        long end = Math.Min(absolute + ReadAhead, _file.Offset + _file.Length - 1);
        return (first, Math.Max(first, (int)(end / _pieceLength)));
    }
}
