namespace GodotTorrent.Cli.Output;

/// <summary>
/// A block of lines kept at the bottom of a terminal and redrawn in place (the seedbox's table),
/// with notes written above it as they come. Spectre's live display lost notes written while it
/// ran (they were drawn over), so this one owns the cursor itself: ANSI cursor-up and erase-below.
/// Lines are cut to one column less than the width, so none wraps and the row count stays exact.
/// </summary>
internal sealed class LiveLines
{
    private const string Escape = "\u001b[";

    private readonly TextWriter _output;
    private readonly int _width;
    private readonly object _lock = new();
    private IReadOnlyList<string> _lines = [];
    private int _drawn;

    public LiveLines(TextWriter output, int width)
    {
        _output = output;
        _width = Math.Max(width - 1, 1);
    }

    /// <summary>Replaces the block with these lines.</summary>
    public void Update(IReadOnlyList<string> lines)
    {
        lock (_lock)
        {
            _lines = lines;
            Erase();
            Draw();
        }
    }

    /// <summary>Writes a line above the block, which is drawn again below it; control characters are printed as '?' (<see cref="TerminalText"/>).</summary>
    public void Note(string line)
    {
        lock (_lock)
        {
            Erase();
            _output.WriteLine(TerminalText.Printable(line));
            Draw();
        }
    }

    private void Erase()
    {
        if (_drawn > 0)
        {
            // Up to the block's first row, to its first column, then clear to the end of the screen.
            _output.Write(Escape + _drawn.ToString(System.Globalization.CultureInfo.InvariantCulture) + "A\r" + Escape + "J");
            _drawn = 0;
        }
    }

    private void Draw()
    {
        foreach (string line in _lines)
        {
            _output.WriteLine(ProgressText.Truncate(line, _width));
        }

        _drawn = _lines.Count;
        _output.Flush();
    }
}
