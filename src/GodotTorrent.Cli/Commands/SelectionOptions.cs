using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>--select 1,3-5</c> (which files to download; the others get priority 0) and
/// <c>--sequential</c> (pieces in order). Files are numbered from 1 in the torrent's order, pad
/// files not counted, as <c>gdtorrent info</c> lists them.
/// </summary>
internal sealed class SelectionOptions
{
    // Bounds the list a range may expand to; no torrent the parser accepts has more files.
    private const int MaxFileNumber = 1_000_000;

    public Option<SortedSet<int>?> Select { get; } = new("--select")
    {
        Description = "Download only these files, numbered from 1 as 'gdtorrent info' lists them (pad files not counted): 1,3-5. The others are skipped (priority 0).",
        CustomParser = ParseSelection,
        HelpName = "LIST",
    };

    public Option<bool> Sequential { get; } = new("--sequential")
    {
        Description = "Download pieces in order, first to last (for playing while downloading); slower to finish in a big swarm.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Select);
        command.Options.Add(Sequential);
    }

    /// <summary>
    /// The torrent's priorities and order from the options. A torrent whose files are known gets
    /// them at once; a magnet's files are known only with its metadata (see <see cref="ApplyAfterMetadataAsync"/>).
    /// </summary>
    public AddTorrentParams Apply(ParseResult parse, AddTorrentParams add)
    {
        add = add with { SequentialDownload = parse.GetValue(Sequential) };
        return parse.GetValue(Select) is { } selected && add.Torrent is { } torrent
            ? add with { FilePriorities = Priorities(torrent, selected) }
            : add;
    }

    /// <summary>For a magnet with <c>--select</c>: waits for the metadata, then skips the files not selected.</summary>
    public async Task ApplyAfterMetadataAsync(ParseResult parse, AddTorrentParams add, TorrentHandle handle, CancellationToken cancellationToken)
    {
        if (add.Torrent is not null || parse.GetValue(Select) is not { } selected)
        {
            return;
        }

        await handle.WaitForAsync(s => s.HasMetadata, cancellationToken).ConfigureAwait(false);
        // Between the metadata and this call the picker may have asked for a few blocks of skipped files: harmless.
        await handle.SetFilePrioritiesAsync(Priorities(handle.TorrentInfo!, selected), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every file's priority: normal for the selected numbers, skip for the rest (pad files follow nothing: skip).</summary>
    public static IReadOnlyList<Priority> Priorities(TorrentInfo torrent, SortedSet<int> selected)
    {
        var real = torrent.Files.Where(f => !f.IsPad).ToList();
        if (selected.Max > real.Count)
        {
            throw new UsageException($"--select {selected.Max.ToString(CultureInfo.InvariantCulture)}: {torrent.Name} has {real.Count.ToString(CultureInfo.InvariantCulture)} file(s), numbered from 1.");
        }

        var priorities = Enumerable.Repeat(Priority.Skip, torrent.Files.Count).ToArray();
        for (int i = 0; i < real.Count; i++)
        {
            if (selected.Contains(i + 1))
            {
                priorities[real[i].Index] = Priority.Normal;
            }
        }

        return priorities;
    }

    /// <summary>The numbers of a list of file numbers and ranges (<c>1,3-5</c>) in order, or null when it is not one.</summary>
    internal static SortedSet<int>? ParseSelectionOf(string text)
    {
        var numbers = new SortedSet<int>();
        foreach (string part in text.Split(','))
        {
            string[] ends = part.Trim().Split('-');
            if (ends.Length > 2 || !TryNumber(ends[0], out int first) || !TryNumber(ends[^1], out int last) || last < first)
            {
                return null;
            }

            for (int n = first; n <= last; n++)
            {
                numbers.Add(n);
            }
        }

        return numbers;
    }

    private static SortedSet<int>? ParseSelection(ArgumentResult result)
    {
        string text = result.Tokens[0].Value;
        var numbers = ParseSelectionOf(text);
        if (numbers is null)
        {
            result.AddError($"--select '{text}' is not a list of file numbers and ranges from 1 (for example 1,3-5).");
        }

        return numbers;
    }

    private static bool TryNumber(string text, out int number) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out number) && number is >= 1 and <= MaxFileNumber;
}
