using System.CommandLine;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary><c>--transport tcp|utp|both|background</c>: which transports carry peer connections, in and out; shared by download, seed and demo.</summary>
internal static class TransportOption
{
    /// <summary>The choices, as the option spells them.</summary>
    public enum Choice
    {
        Both,
        Tcp,
        Utp,

        /// <summary>uTP only, with <see cref="SessionSettings.Background"/>'s LEDBAT target.</summary>
        Background,
    }

    public static Option<Choice> Create() => new("--transport")
    {
        Description = "Peer transports in and out: both (default: uTP first for peers known to speak it, TCP otherwise, each falling back to the other), tcp, utp (BEP 29 with LEDBAT, which yields to other traffic on the link), or background (uTP only with a lower LEDBAT target, 60 ms instead of 100: steps aside sooner for a game or a call).",
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return Choice.Both;
            }

            string text = result.Tokens[0].Value;
            switch (text.ToLowerInvariant())
            {
                case "both": return Choice.Both;
                case "tcp": return Choice.Tcp;
                case "utp": return Choice.Utp;
                case "background": return Choice.Background;
                default:
                    result.AddError($"--transport '{text}' is not one of tcp, utp, both, background.");
                    return Choice.Both;
            }
        },
        DefaultValueFactory = _ => Choice.Both,
        HelpName = "tcp|utp|both|background",
    };

    /// <summary><paramref name="settings"/> with the chosen transports switched on in both directions and the others off.</summary>
    public static SessionSettings Apply(SessionSettings settings, Choice choice) =>
        settings with
        {
            EnableIncomingTcp = choice is Choice.Tcp or Choice.Both,
            EnableOutgoingTcp = choice is Choice.Tcp or Choice.Both,
            EnableIncomingUtp = choice != Choice.Tcp,
            EnableOutgoingUtp = choice != Choice.Tcp,
            UtpTargetDelay = choice == Choice.Background ? SessionSettings.Background.UtpTargetDelay : settings.UtpTargetDelay,
        };
}
