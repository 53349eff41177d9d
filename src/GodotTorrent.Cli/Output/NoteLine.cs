using Spectre.Console;
using Spectre.Console.Rendering;

namespace GodotTorrent.Cli.Output;

/// <summary>
/// A line written above Spectre's live progress bars. Spectre 0.49 writes it from the top of the
/// bars without erasing them, so a note that wraps onto a second row left the rest of the old bar
/// after it on screen. This one erases from there to the end of the screen first (the bars are
/// drawn again below it anyway).
/// </summary>
internal sealed class NoteLine(string text) : IRenderable
{
    // ANSI "erase in display" from the cursor to the end of the screen.
    private const string EraseBelow = "\u001b[0J";

    private readonly Text _text = new(TerminalText.Printable(text));

    public Measurement Measure(RenderOptions options, int maxWidth) => ((IRenderable)_text).Measure(options, maxWidth);

    public IEnumerable<Segment> Render(RenderOptions options, int maxWidth) =>
        [Segment.Control(EraseBelow), .. ((IRenderable)_text).Render(options, maxWidth), Segment.LineBreak];
}
