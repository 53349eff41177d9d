using System.Diagnostics;
using System.Globalization;

namespace GodotTorrent.Cli.Output;

/// <summary>Progress as plain lines (<c>name  42.0%  detail</c>) for logs and pipes: each row at most once per interval, and when it reaches 100%.</summary>
internal sealed class PlainProgressRows : IProgressRows
{
    private readonly TextWriter _output;
    private readonly IReadOnlyList<string> _names;
    private readonly long _interval;
    private readonly long[] _lastWritten;
    private readonly bool[] _complete;
    private readonly int _width;
    private readonly object _lock = new();

    public PlainProgressRows(TextWriter output, IReadOnlyList<string> names, TimeSpan interval)
    {
        _output = output;
        _names = names;
        _interval = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        _lastWritten = new long[names.Count];
        _complete = new bool[names.Count];
        _width = names.Count == 0 ? 0 : names.Max(n => n.Length);
    }

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
            _output.WriteLine($"{_names[row].PadRight(_width)}  {percent}%  {detail}");
            _output.Flush();
        }
    }
}
