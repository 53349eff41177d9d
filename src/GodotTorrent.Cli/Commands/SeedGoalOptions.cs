using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>--seed-ratio R</c> and <c>--seed-time SECONDS</c> of <c>download</c> and <c>seed</c>: the
/// torrent's seeding goals (<see cref="AddTorrentParams.ShareRatioLimit"/>,
/// <see cref="AddTorrentParams.SeedTimeLimit"/>); the command ends with exit 0 once one is met.
/// </summary>
internal sealed class SeedGoalOptions
{
    // The engine keeps the ratio in percent (as libtorrent does); ten thousand times is plenty.
    private const double MaxRatio = 10_000;

    public Option<double?> Ratio { get; } = new("--seed-ratio")
    {
        Description = "Stop seeding once uploaded / max(downloaded, size) reaches R (0 to 10000, e.g. 1.5; 0: at completion); then exit 0.",
        CustomParser = ParseRatio,
        HelpName = "R",
    };

    public Option<int?> Time { get; } = new("--seed-time")
    {
        Description = "Stop seeding after this many seconds spent seeding (0: at completion); then exit 0.",
        CustomParser = ParseSeconds,
        HelpName = "SECONDS",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Ratio);
        command.Options.Add(Time);
    }

    /// <summary>True when either goal was given.</summary>
    public bool Any(ParseResult parse) => parse.GetValue(Ratio) is not null || parse.GetValue(Time) is not null;

    /// <summary>The torrent's goals from the options; the ones not given stay the session's (none).</summary>
    public AddTorrentParams Apply(ParseResult parse, AddTorrentParams add) => add with
    {
        ShareRatioLimit = parse.GetValue(Ratio) is { } ratio ? (int)Math.Round(ratio * 100) : null,
        SeedTimeLimit = parse.GetValue(Time) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
    };

    private static double? ParseRatio(ArgumentResult result)
    {
        string text = result.Tokens[0].Value;
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double ratio) || ratio > MaxRatio)
        {
            result.AddError($"--seed-ratio '{text}' is not a ratio from 0 to 10000 (for example 1.5).");
            return null;
        }

        return ratio;
    }

    private static int? ParseSeconds(ArgumentResult result)
    {
        string text = result.Tokens[0].Value;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) || seconds > int.MaxValue / 1000)
        {
            result.AddError($"--seed-time '{text}' is not a whole number of seconds from 0 to {(int.MaxValue / 1000).ToString(CultureInfo.InvariantCulture)}.");
            return null;
        }

        return seconds;
    }
}
