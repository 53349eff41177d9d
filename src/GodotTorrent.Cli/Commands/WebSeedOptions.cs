using System.CommandLine;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary><c>--web-seed URL</c> (repeatable) and <c>--no-web-seeds</c>: the BEP 19 web seeds a download uses.</summary>
internal sealed class WebSeedOptions
{
    public Option<IReadOnlyList<string>> WebSeeds { get; } = new("--web-seed", "-w")
    {
        Description = "Also download from this HTTP(S) web seed (BEP 19); repeatable. The torrent's own web seeds are used anyway.",
        Arity = ArgumentArity.OneOrMore,
        CustomParser = CommandLineValues.ParseWebSeeds,
        DefaultValueFactory = _ => [],
        HelpName = "URL",
    };

    public Option<bool> NoWebSeeds { get; } = new("--no-web-seeds")
    {
        Description = "Ignore every web seed (the torrent's and --web-seed): download from peers only.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(WebSeeds);
        command.Options.Add(NoWebSeeds);
        command.Validators.Add(result =>
        {
            if (result.GetValue(NoWebSeeds) && result.GetValue(WebSeeds) is { Count: > 0 })
            {
                result.AddError("--web-seed and --no-web-seeds contradict each other: give one or the other.");
            }
        });
    }

    /// <summary>The session's settings with web seeds off under <c>--no-web-seeds</c>.</summary>
    public SessionSettings Apply(ParseResult parse, SessionSettings settings) => settings with { EnableWebSeeds = !parse.GetValue(NoWebSeeds) };

    /// <summary>Gives the torrent the <c>--web-seed</c> URLs.</summary>
    public async Task AddToAsync(ParseResult parse, TorrentHandle handle, CancellationToken cancellationToken)
    {
        foreach (string url in parse.GetRequiredValue(WebSeeds))
        {
            await handle.AddWebSeedAsync(url, cancellationToken).ConfigureAwait(false);
        }
    }
}
