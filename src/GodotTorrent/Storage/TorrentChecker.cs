using System.Buffers;
using System.Collections.Concurrent;

namespace GodotTorrent.Storage;

/// <summary>
/// Hashes a torrent's data to find the pieces it has: the initial check of existing files and
/// a forced recheck. Pieces are hashed in parallel (one worker per core by default), each worker
/// with one pooled piece buffer; missing and short files make their pieces invalid without
/// failing the check. The check can be paused, resumed and cancelled, and reports progress.
/// </summary>
/// <example>
/// <code>
/// var torrent = TorrentInfo.Load("game.torrent");
/// await using var storage = new FileStorage(torrent, savePath);
/// var result = await new TorrentChecker(storage).CheckAsync();
/// Console.WriteLine($"{result.ValidPieces}/{result.TotalPieces} pieces valid");
/// </code>
/// </example>
public sealed class TorrentChecker
{
    private readonly IPieceStorage _storage;
    private readonly PieceLayout _layout;
    private readonly int _parallelism;
    private readonly Func<Func<Task>, Task> _dispatch;
    private readonly bool _keepContext;
    private readonly AsyncGate _gate = new();

    /// <summary>
    /// Creates a checker over <paramref name="storage"/>; <paramref name="maxParallelism"/> pieces are
    /// hashed at once (0: one per processor).
    /// </summary>
    public TorrentChecker(IPieceStorage storage, int maxParallelism = 0)
        : this(storage, maxParallelism, work => Task.Run(work, CancellationToken.None), keepContext: false)
    {
    }

    /// <summary>A checker whose workers run through <paramref name="dispatch"/> (the session's disk service).</summary>
    internal TorrentChecker(IPieceStorage storage, int maxParallelism, Func<Func<Task>, Task> dispatch, bool keepContext = true)
    {
        ArgumentNullException.ThrowIfNull(dispatch);
        _dispatch = dispatch;
        _keepContext = keepContext;
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentOutOfRangeException.ThrowIfNegative(maxParallelism);
        _storage = storage;
        _layout = new PieceLayout(storage.Torrent);
        _parallelism = maxParallelism == 0 ? Environment.ProcessorCount : maxParallelism;
    }

    /// <summary>True while the check is paused.</summary>
    public bool IsPaused => !_gate.IsOpen;

    /// <summary>Pauses the check after the pieces being hashed now; safe from any thread.</summary>
    public void Pause() => _gate.Close();

    /// <summary>Resumes a paused check; safe from any thread.</summary>
    public void Resume() => _gate.Open();

    /// <summary>Checks every piece.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (also while paused).</exception>
    /// <exception cref="ArgumentException">The progress callback or the storage threw something else; it is passed on.</exception>
    public Task<TorrentCheckResult> CheckAsync(IProgress<CheckProgress>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(Enumerable.Range(0, _layout.PieceCount).ToArray(), progress, cancellationToken);

    /// <summary>
    /// Checks the pieces set in <paramref name="pieces"/> only (for instance those resume data
    /// could not vouch for); the others are clear in the result.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (also while paused).</exception>
    public Task<TorrentCheckResult> CheckPiecesAsync(Bitfield pieces, IProgress<CheckProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        if (pieces.Count != _layout.PieceCount)
        {
            throw new ArgumentException($"The torrent has {_layout.PieceCount} pieces, the bitfield {pieces.Count}.", nameof(pieces));
        }

        return RunAsync(pieces.SetIndices().ToArray(), progress, cancellationToken);
    }

    private async Task<TorrentCheckResult> RunAsync(int[] pieces, IProgress<CheckProgress>? progress, CancellationToken cancellationToken)
    {
        var valid = new bool[_layout.PieceCount];
        var errors = new ConcurrentDictionary<int, StorageException>();
        long bytesToCheck = pieces.Sum(p => (long)_layout.GetPieceSize(p));
        var progressLock = new object();
        int next = 0, done = 0, validCount = 0;
        long bytesDone = 0;
        bool batches = PieceBatchVerifier.CanVerify(_layout.Torrent);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        async Task WorkAsync()
        {
            byte[] buffer = ArrayPool<byte>.Shared.Rent(_layout.PieceLength);
            using var hasher = new PieceHasher(_layout);
            using var batch = batches ? new PieceBatchVerifier(_storage, _layout) : null;
            try
            {
                while (true)
                {
                    await _gate.WaitAsync(stop.Token).ConfigureAwait(true);
                    stop.Token.ThrowIfCancellationRequested();
                    int take = batch is null ? 1 : PieceBatchVerifier.Count;
                    int first = Interlocked.Add(ref next, take) - take;
                    if (first >= pieces.Length)
                    {
                        return;
                    }

                    int count = Math.Min(take, pieces.Length - first);
                    if (batch is not null && batch.IsBatch(pieces.AsSpan(first, count)))
                    {
                        await batch.VerifyAsync(pieces, first, valid, ex => errors.TryAdd(ex.FileIndex, ex), stop.Token).ConfigureAwait(false);
                    }
                    else
                    {
                        for (int i = first; i < first + count; i++)
                        {
                            valid[pieces[i]] = await VerifyOneAsync(pieces[i], hasher, buffer, errors, stop.Token).ConfigureAwait(false);
                        }
                    }

                    // Counters move and are reported under one lock so observers never see progress go backwards.
                    lock (progressLock)
                    {
                        for (int i = first; i < first + count; i++)
                        {
                            int piece = pieces[i];
                            done++;
                            validCount += valid[piece] ? 1 : 0;
                            bytesDone += _layout.GetPieceSize(piece);
                            progress?.Report(new CheckProgress(done, pieces.Length, validCount, bytesDone, bytesToCheck));
                        }
                    }
                }
            }
            catch
            {
                await stop.CancelAsync().ConfigureAwait(true);
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        int workers = Math.Max(1, Math.Min(_parallelism, pieces.Length));
        var tasks = new Task[workers];
        for (int w = 0; w < workers; w++)
        {
            tasks[w] = _dispatch(WorkAsync);
        }

        try
        {
            // A session's own runner keeps the caller's context (a simulation stays on its scheduler); a plain caller is never resumed on its own thread.
            await Task.WhenAll(tasks).ConfigureAwait(_keepContext);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A worker failed and cancelled the rest: report its error, not the cancellations.
            var failure = tasks.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault();
            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
            }

            throw;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return BuildResult(valid, pieces.Length, errors);
    }

    private async ValueTask<bool> VerifyOneAsync(int piece, PieceHasher hasher, byte[] buffer, ConcurrentDictionary<int, StorageException> errors, CancellationToken cancellationToken)
    {
        try
        {
            return await PieceVerifier.VerifyAsync(_storage, hasher, piece, buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageException ex)
        {
            // Denied or failing reads make the piece invalid; the first error per file is kept for the caller to show.
            errors.TryAdd(ex.FileIndex, ex);
            return false;
        }
    }

    private TorrentCheckResult BuildResult(bool[] valid, int checkedCount, ConcurrentDictionary<int, StorageException> errors)
    {
        var field = new Bitfield(valid.Length);
        var validBytes = new long[_layout.Torrent.Files.Count];
        for (int piece = 0; piece < valid.Length; piece++)
        {
            if (!valid[piece])
            {
                continue;
            }

            field[piece] = true;
            foreach (var slice in _layout.GetSlices(piece, 0, _layout.GetPieceSize(piece)))
            {
                validBytes[slice.FileIndex] += slice.Length;
            }
        }

        var files = _layout.Torrent.Files
            .Where(f => !f.IsPad)
            .Select(f => new FileCheckResult(f.Index, _storage.GetFilePath(f.Index), f.Length, validBytes[f.Index], errors.GetValueOrDefault(f.Index)))
            .ToArray();
        return new TorrentCheckResult(field, checkedCount, files);
    }
}
