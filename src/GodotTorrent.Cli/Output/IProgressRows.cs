namespace GodotTorrent.Cli.Output;

/// <summary>Rows of live progress, one per torrent or peer; updates may come from any thread.</summary>
internal interface IProgressRows
{
    /// <summary>The most characters the detail text of a row may have without the line wrapping.</summary>
    int DetailWidth { get; }

    /// <summary>Sets row <paramref name="row"/> to <paramref name="fraction"/> (0 to 1) with a short text after the bar.</summary>
    void Update(int row, double fraction, string detail);

    /// <summary>Prints a line of its own (an error worth knowing) above the rows.</summary>
    void Note(string line);
}
