using System.Diagnostics;
using System.Globalization;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Cli.Output;

/// <summary>
/// Draws <c>Hashing  42%  27 MiB of 64 MiB</c> on one terminal line (redrawn with '\r', at most
/// ten times a second) while <see cref="TorrentCreator"/> hashes, or <c>Checking ...</c> while
/// <see cref="Storage.TorrentChecker"/> checks data on disk; reports may come from any thread.
/// </summary>
internal sealed class HashingProgress : IProgress<TorrentCreationProgress>, IProgress<Storage.CheckProgress>
{
    private static readonly long RedrawInterval = Stopwatch.Frequency / 10;

    private readonly TextWriter _output;
    private readonly object _lock = new();
    private long _lastDrawn;
    private int _lastWidth;
    private bool _finished;

    public HashingProgress(TextWriter output)
    {
        _output = output;
    }

    public void Report(TorrentCreationProgress value) => Report("Hashing", value.BytesHashed, value.TotalBytes);

    public void Report(Storage.CheckProgress value) => Report("Checking", value.BytesChecked, value.BytesToCheck);

    private void Report(string what, long done, long total)
    {
        lock (_lock)
        {
            bool last = done >= total;
            long now = Stopwatch.GetTimestamp();
            if (_finished || (!last && _lastWidth > 0 && now - _lastDrawn < RedrawInterval))
            {
                return;
            }

            _lastDrawn = now;
            Draw(Describe(what, done, total));
        }
    }

    /// <summary>Erases the progress line, so what follows starts on a clean line.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _finished = true;
            if (_lastWidth > 0)
            {
                // The whole row, not just the text drawn: a Ctrl-C the terminal echoed after it ("^C")
                // would otherwise stay at the end of the next line written there.
                _output.Write("\r\u001b[2K");
                _output.Flush();
                _lastWidth = 0;
            }
        }
    }

    internal static string Describe(TorrentCreationProgress value) => Describe("Hashing", value.BytesHashed, value.TotalBytes);

    private static string Describe(string what, long done, long total)
    {
        string percent = ((int)(total == 0 ? 100 : done * 100 / total)).ToString(CultureInfo.InvariantCulture).PadLeft(3);
        return $"{what} {percent}%  {ByteSize.Format(done)} of {ByteSize.Format(total)}";
    }

    private void Draw(string text)
    {
        string padded = text.PadRight(_lastWidth);
        _output.Write('\r' + padded);
        _output.Flush();
        _lastWidth = text.Length;
    }
}
