using System.Diagnostics;
using System.Globalization;

namespace GodotTorrent.Cli.Output;

/// <summary>
/// Progress as plain lines (<c>name  42.0%  detail</c>) for logs and pipes: each row at most once
/// per interval, and when it reaches 100%; each line fits <see cref="ProgressText.DefaultWidth"/>.
/// </summary>
internal sealed class PlainProgressRows : IProgressRows
{
    // A long name keeps this much room; the details get the rest of the line.
    private const int MaxNameWidth = 28;

    private readonly TextWriter _output;
    private readonly List<string> _names;
    private readonly long _interval;
    private readonly long[] _lastWritten;
    private readonly bool[] _complete;
    private readonly int _width;
    private readonly object _lock = new();

    public PlainProgressRows(TextWriter output, IReadOnlyList<string> names, TimeSpan interval)
    {
        _output = output;
        _interval = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        _lastWritten = new long[names.Count];
        _complete = new bool[names.Count];
        _width = names.Count == 0 ? 0 : Math.Min(names.Max(n => n.Length), MaxNameWidth);
        _names = names.Select(n => ProgressText.Truncate(TerminalText.Printable(n), _width)).ToList();
    }

    // name, two spaces, " 42.0%", two spaces.
    public int DetailWidth => ProgressText.DefaultWidth - _width - 10;

    public void Update(int row, double fraction, string detail)
    {
        lock (_lock)
        {
            long now = Stopwatch.GetTimestamp();
            bool completes = fraction >= 1 && !_complete[row];
            if (!completes && _lastWritten[row] != 0 && now - _lastWritten[row] < _interval)
            {
                return;
            }

            _complete[row] |= fraction >= 1;
            _lastWritten[row] = now;
            string percent = (Math.Clamp(fraction, 0, 1) * 100).ToString("0.0", CultureInfo.InvariantCulture).PadLeft(5);
            _output.WriteLine($"{_names[row].PadRight(_width)}  {percent}%  {ProgressText.Truncate(detail, DetailWidth)}");
            _output.Flush();
        }
    }

    public void Note(string line)
    {
        lock (_lock)
        {
            _output.WriteLine(TerminalText.Printable(line));
            _output.Flush();
        }
    }
}
