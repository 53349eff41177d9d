using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;

namespace GodotTorrent.Cli;

/// <summary>
/// Turns the parser's usage errors into lines a user can act on: a mistyped command names the
/// closest command instead of three parser lines, and a value of the wrong kind says what kind was
/// wanted instead of a .NET type name.
/// </summary>
internal static class UsageErrorText
{
    public static IEnumerable<string> Lines(ParseResult parse)
    {
        if (parse.CommandResult.Command is RootCommand root && parse.UnmatchedTokens.Count > 0
            && parse.Tokens.Count > 0 && parse.Tokens[0].Type != TokenType.Option)
        {
            string typed = parse.UnmatchedTokens[0];
            string? closest = Closest(typed, root.Subcommands.Select(c => c.Name));
            yield return closest is null
                ? $"'{typed}' is not a gdtorrent command."
                : $"'{typed}' is not a gdtorrent command; did you mean '{closest}'?";
            yield break;
        }

        foreach (var error in parse.Errors)
        {
            yield return WrongKind(error) ?? OneLine(error.Message);
        }
    }

    private static string? WrongKind(ParseError error)
    {
        // The parser's own conversion failure is the only error of an option whose token is not its type.
        if (error.SymbolResult is not OptionResult { Option: var option } result
            || !error.Message.StartsWith("Cannot parse argument", StringComparison.Ordinal))
        {
            return null;
        }

        string value = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        var type = Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;
        string wanted = type == typeof(int) || type == typeof(long) ? "a whole number"
            : type == typeof(double) ? "a number"
            : type == typeof(IPEndPoint) ? "ADDRESS:PORT"
            : type == typeof(IPAddress) ? "an IP address"
            : type.IsEnum ? "one of " + string.Join(", ", Enum.GetNames(type).Select(n => n.ToLowerInvariant()))
            : "a valid value";
        return string.Format(CultureInfo.InvariantCulture, "{0} '{1}' is not {2}.", option.Name, value, wanted);
    }

    private static string? Closest(string typed, IEnumerable<string> names)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string name in names)
        {
            int distance = Distance(typed.ToLowerInvariant(), name);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (name, distance);
            }
        }

        // Farther than a third of the word is a different word, not a typo.
        return bestDistance <= Math.Max(2, typed.Length / 3) ? best : null;
    }

    // Optimal string alignment distance: a swap of two letters ("downlaod") counts as one typo.
    private static int Distance(string a, string b)
    {
        if (a.Length > 64 || b.Length > 64)
        {
            return int.MaxValue;
        }

        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
