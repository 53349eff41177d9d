using System.Globalization;
using System.Text;

namespace GodotTorrent.Tests.Cli;

/// <summary>
/// What a terminal of a given width shows after some output: printable characters (wrapping at
/// the right edge), line feed, carriage return, and the CSI codes live displays use (cursor up,
/// erase in line, erase below); colours and other codes are ignored.
/// </summary>
internal static class VirtualTerminal
{
    public static string[] Replay(string output, int width)
    {
        var rows = new List<StringBuilder> { new() };
        int row = 0, column = 0;
        for (int i = 0; i < output.Length; i++)
        {
            char c = output[i];
            if (c == '\n')
            {
                row++;
                column = 0;
            }
            else if (c == '\r')
            {
                column = 0;
            }
            else if (c == '\u001b' && i + 1 < output.Length && output[i + 1] == '[')
            {
                int end = i + 2;
                while (end < output.Length && output[end] is not (>= '@' and <= '~'))
                {
                    end++;
                }

                string args = output[(i + 2)..end];
                int n = int.TryParse(args, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : 0;
                switch (output[end])
                {
                    case 'A':
                        row = Math.Max(row - Math.Max(n, 1), 0);
                        break;
                    case 'K':
                        Row(rows, row).Length = n == 2 ? 0 : Math.Min(column, Row(rows, row).Length);
                        break;
                    case 'J':
                        Row(rows, row).Length = Math.Min(column, Row(rows, row).Length);
                        rows.RemoveRange(row + 1, Math.Max(rows.Count - row - 1, 0));
                        break;
                }

                i = end;
            }
            else if (!char.IsControl(c))
            {
                if (column == width)
                {
                    row++;
                    column = 0;
                }

                var line = Row(rows, row);
                if (line.Length < column)
                {
                    line.Append(' ', column - line.Length);
                }

                if (column < line.Length)
                {
                    line[column] = c;
                }
                else
                {
                    line.Append(c);
                }

                column++;
            }
        }

        return rows.Select(r => r.ToString().TrimEnd()).Where(r => r.Length > 0).ToArray();
    }

    private static StringBuilder Row(List<StringBuilder> rows, int row)
    {
        while (rows.Count <= row)
        {
            rows.Add(new StringBuilder());
        }

        return rows[row];
    }
}
