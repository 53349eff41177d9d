using System.Diagnostics;
using System.Net;
using System.Text.Json;
using GodotTorrent.Cli.Output;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// Watches one torrent of <c>download</c> or <c>seed</c> once a second: reports its status (a JSON
/// line, or a progress row), dials the <c>--peer</c> peers again while they are not connected,
/// and stops on a condition, an engine error, or cancellation.
/// </summary>
internal sealed class TransferWatch
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RedialInterval = TimeSpan.FromSeconds(3);

    private readonly CliConsole _console;
    private readonly TorrentHandle _handle;
    private readonly IReadOnlyList<IPEndPoint> _peers;
    private readonly bool _json;
    private readonly int _row;
    private readonly SourceErrors? _errors;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan? _lastDial;

    /// <param name="row">The torrent's row in the live progress.</param>
    /// <param name="errors">Peer source errors to print with each report, if the command watches them.</param>
    public TransferWatch(CliConsole console, TorrentHandle handle, IReadOnlyList<IPEndPoint> peers, bool json, int row = 0, SourceErrors? errors = null)
    {
        _console = console;
        _handle = handle;
        _peers = peers;
        _json = json;
        _row = row;
        _errors = errors;
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>When the condition of <see cref="RunAsync"/> first held (a torrent of several finishes before the run ends).</summary>
    public TimeSpan? ReachedAfter { get; private set; }

    /// <summary>
    /// Reports every second until <paramref name="until"/> holds (returns that status) or
    /// <paramref name="cancellationToken"/> fires (returns null). An engine error throws.
    /// </summary>
    public async Task<TorrentStatus?> RunAsync(IProgressRows? rows, Func<TorrentStatus, bool> until, CancellationToken cancellationToken)
    {
        try
        {
            // The engine says the moment the condition holds, so the end is not rounded up to the next report.
            Task<TorrentStatus> reached = _handle.WaitForAsync(until, cancellationToken);
            while (true)
            {
                TorrentStatus status = reached.IsCompletedSuccessfully ? reached.Result : await _handle.GetStatusAsync(cancellationToken).ConfigureAwait(false);
                Report(rows, status);
                if (status.State == TorrentState.Error)
                {
                    Emit("error", status);
                    throw new CliException($"{status.Name}: {status.ErrorMessage ?? "the torrent stopped with an error"}");
                }

                if (until(status))
                {
                    ReachedAfter ??= _clock.Elapsed;
                    return status;
                }

                await RedialAsync(status, cancellationToken).ConfigureAwait(false);
                await Task.WhenAny(reached, Task.Delay(Tick, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Writes a final JSON event (<c>complete</c>, <c>timeout</c>, <c>stopped</c>, <c>error</c>) in JSON mode.</summary>
    public void Emit(string eventName, TorrentStatus status, string? error = null)
    {
        if (_json)
        {
            _console.Out.WriteLine(JsonSerializer.Serialize(TransferReport.From(eventName, status, eventName == "complete" && ReachedAfter is { } reached ? reached : Elapsed, error), CliJsonContext.Lines.TransferReport));
            _console.Out.Flush();
        }
    }

    /// <summary>One short line about a status: <c>12 MiB/64 MiB  dn 5 MiB/s  up 0 B/s  2 peers  eta 10s</c>, and the bytes from web seeds when there are any.</summary>
    public static string Describe(TorrentStatus status) => ProgressText.Detail(status, int.MaxValue);

    private void Report(IProgressRows? rows, TorrentStatus status)
    {
        _errors?.Flush(rows);
        if (_json)
        {
            Emit("status", status);
        }

        rows?.Update(_row, status.Progress, ProgressText.Detail(status, rows.DetailWidth));
    }

    private async Task RedialAsync(TorrentStatus status, CancellationToken cancellationToken)
    {
        if (_peers.Count == 0 || status.PeerCount >= _peers.Count || (_lastDial is { } last && _clock.Elapsed - last < RedialInterval))
        {
            return;
        }

        _lastDial = _clock.Elapsed;
        var connected = (await _handle.GetPeersAsync(cancellationToken).ConfigureAwait(false)).Select(p => p.EndPoint).ToHashSet();
        foreach (var peer in _peers.Where(p => !connected.Contains(p)))
        {
            await _handle.ConnectPeerAsync(peer, cancellationToken).ConfigureAwait(false);
        }
    }
}
