using System.CommandLine;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary><c>--transport tcp|utp|both</c>: which transports carry peer connections, in and out; shared by download, seed and demo.</summary>
internal static class TransportOption
{
    /// <summary>The choices, as the option spells them.</summary>
    public enum Choice
    {
        Both,
        Tcp,
        Utp,
    }

    public static Option<Choice> Create() => new("--transport")
    {
        Description = "Peer transports in and out: both (default: uTP first for peers known to speak it, TCP otherwise, each falling back to the other), tcp, or utp (BEP 29 with LEDBAT, which yields to other traffic on the link).",
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
                default:
                    result.AddError($"--transport '{text}' is not one of tcp, utp, both.");
                    return Choice.Both;
            }
        },
        DefaultValueFactory = _ => Choice.Both,
        HelpName = "tcp|utp|both",
    };

    /// <summary><paramref name="settings"/> with the chosen transports switched on in both directions and the others off.</summary>
    public static SessionSettings Apply(SessionSettings settings, Choice choice) =>
        settings with
        {
            EnableIncomingTcp = choice != Choice.Utp,
            EnableOutgoingTcp = choice != Choice.Utp,
            EnableIncomingUtp = choice != Choice.Tcp,
            EnableOutgoingUtp = choice != Choice.Tcp,
        };
}
