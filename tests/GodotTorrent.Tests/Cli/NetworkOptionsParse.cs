using System.CommandLine;
using GodotTorrent.Cli.Commands;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary>The session settings <c>download</c> and <c>seed</c> would use for these arguments, without running anything.</summary>
internal static class NetworkOptionsParse
{
    public static SessionSettings SettingsOf(params string[] args)
    {
        var options = new NetworkOptions();
        var command = new RootCommand();
        options.AddTo(command);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return options.Settings(parse);
    }
}
