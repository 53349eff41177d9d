namespace GodotTorrent.Cli.Output;

/// <summary>
/// Text from a stranger's torrent or magnet link (names, comments, tracker URLs, server messages)
/// made safe to print: a raw escape sequence in it would be obeyed by the terminal (clear the
/// screen, set the title, move the cursor through the progress display), so control characters
/// never reach it. JSON output needs none of this: its encoder escapes them.
/// </summary>
internal static class TerminalText
{
    /// <summary>
    /// <paramref name="text"/> with C0 and C1 control characters and DEL replaced: tabs and line
    /// breaks by a space (the text is printed on one line), every other one by <c>?</c>.
    /// </summary>
    public static string Printable(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\u0000', '\u001f') && !text.AsSpan().ContainsAnyInRange('\u007f', '\u009f'))
        {
            return text;
        }

        return string.Create(text.Length, text, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = c is '\t' or '\n' or '\r' ? ' ' : char.IsControl(c) ? '?' : c;
            }
        });
    }
}
