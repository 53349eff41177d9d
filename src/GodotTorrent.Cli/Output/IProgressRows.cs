namespace GodotTorrent.Cli.Output;

/// <summary>Rows of live progress, one per torrent or peer; updates may come from any thread.</summary>
internal interface IProgressRows
{
    /// <summary>Sets row <paramref name="row"/> to <paramref name="fraction"/> (0 to 1) with a short text after the bar.</summary>
    void Update(int row, double fraction, string detail);
}
