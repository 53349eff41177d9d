using System.Globalization;

namespace GodotTorrent.Cli.Output;

/// <summary>Writes an <see cref="InfoReport"/> for people: one aligned <c>Label:  value</c> per line, then the files.</summary>
internal static class InfoPrinter
{
    private const int LabelWidth = 15;

    public static void Write(TextWriter output, InfoReport report)
    {
        WriteSummary(output, report);
        if (report.Private is bool isPrivate)
        {
            Line(output, "Private", isPrivate ? "yes" : "no");
        }

        Optional(output, "Source", report.Source);
        Optional(output, "Created by", report.CreatedBy);
        Optional(output, "Created on", report.CreationDate?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        Optional(output, "Comment", report.Comment);
        WriteTrackers(output, report.Trackers);
        List(output, "Web seeds", report.WebSeeds);
        if (report.Files is { } files)
        {
            WriteFiles(output, files);
        }
    }

    /// <summary>The first lines of <see cref="Write"/>: name, version, info-hashes, size and pieces.</summary>
    public static void WriteSummary(TextWriter output, InfoReport report)
    {
        Line(output, "Name", report.Name ?? "(none)");
        Line(output, "Version", report.Version switch
        {
            "hybrid" => "hybrid (v1 + v2)",
            "v2" => "v2 (BEP 52)",
            _ => "v1",
        });
        if (report.InfoHashV1 is not null)
        {
            Line(output, "Info-hash v1", report.InfoHashV1);
        }

        if (report.InfoHashV2 is not null)
        {
            Line(output, "Info-hash v2", report.InfoHashV2);
        }

        Line(output, "Size", report.TotalSize is long size ? $"{ByteSize.Format(size)} ({ByteSize.FormatExact(size)})" : "unknown");
        Line(output, "Pieces", report.PieceCount is int count && report.PieceLength is int length
            ? $"{count.ToString(CultureInfo.InvariantCulture)} x {ByteSize.Format(length)}"
            : "unknown (a magnet link has no metadata)");
    }

    private static void WriteTrackers(TextWriter output, IReadOnlyList<IReadOnlyList<string>> tiers)
    {
        if (tiers.Count == 0)
        {
            Line(output, "Trackers", "none");
            return;
        }

        var lines = new List<string>();
        for (int tier = 0; tier < tiers.Count; tier++)
        {
            string number = (tier + 1).ToString(CultureInfo.InvariantCulture);
            lines.AddRange(tiers[tier].Select(url => $"tier {number}  {url}"));
        }

        List(output, "Trackers", lines);
    }

    private static void WriteFiles(TextWriter output, IReadOnlyList<InfoFileReport> files)
    {
        var shown = files.Where(f => !f.Pad).ToList();
        int pads = files.Count - shown.Count;
        string count = shown.Count.ToString(CultureInfo.InvariantCulture);
        Line(output, "Files", pads == 0 ? count : $"{count} (and {pads.ToString(CultureInfo.InvariantCulture)} pad files, not shown)");
        var sizes = shown.Select(f => ByteSize.Format(f.Length)).ToList();
        int width = sizes.Count == 0 ? 0 : sizes.Max(s => s.Length);
        int numberWidth = shown.Count.ToString(CultureInfo.InvariantCulture).Length;
        for (int i = 0; i < shown.Count; i++)
        {
            var file = shown[i];
            string suffix = file.SymlinkTarget is { } target ? $" -> {target}" : file.Executable ? " (executable)" : "";
            // Numbered from 1 as 'download --select' takes them.
            string number = (i + 1).ToString(CultureInfo.InvariantCulture).PadLeft(numberWidth);
            output.WriteLine(TerminalText.Printable($"  {number}  {sizes[i].PadLeft(width)}  {file.Path}{suffix}"));
        }
    }

    private static void List(TextWriter output, string label, IReadOnlyList<string> values)
    {
        if (values.Count == 0)
        {
            Line(output, label, "none");
            return;
        }

        Line(output, label, values[0]);
        foreach (string value in values.Skip(1))
        {
            output.WriteLine(new string(' ', LabelWidth) + TerminalText.Printable(value));
        }
    }

    private static void Optional(TextWriter output, string label, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            Line(output, label, value);
        }
    }

    private static void Line(TextWriter output, string label, string value) =>
        output.WriteLine((label + ":").PadRight(LabelWidth) + TerminalText.Printable(value));
}
