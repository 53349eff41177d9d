using System.CommandLine;
using GodotTorrent.Cli.Commands;
using GodotTorrent.Session;

namespace GodotTorrent.Tests.Cli;

/// <summary><c>--transport</c> switches the transports in both directions; <c>background</c> is <see cref="SessionSettings.Background"/>.</summary>
public class TransportOptionTests
{
    [Theory]
    [InlineData("both", true, true, 100)]
    [InlineData("tcp", true, false, 100)]
    [InlineData("utp", false, true, 100)]
    [InlineData("background", false, true, 60)]
    [InlineData("BACKGROUND", false, true, 60)]
    public void Each_choice_sets_the_transports_in_and_out_and_the_ledbat_target(string choice, bool tcp, bool utp, int targetMs)
    {
        var settings = NetworkOptionsParse.SettingsOf("--transport", choice);

        Assert.Equal((tcp, tcp, utp, utp), (settings.EnableIncomingTcp, settings.EnableOutgoingTcp, settings.EnableIncomingUtp, settings.EnableOutgoingUtp));
        Assert.Equal(TimeSpan.FromMilliseconds(targetMs), settings.UtpTargetDelay);
        settings.Validate();
    }

    [Fact]
    public void Background_is_the_library_s_background_settings()
    {
        var settings = NetworkOptionsParse.SettingsOf("--transport", "background");
        var background = SessionSettings.Background;

        Assert.Equal(
            (background.EnableIncomingTcp, background.EnableOutgoingTcp, background.EnableIncomingUtp, background.EnableOutgoingUtp, background.UtpTargetDelay),
            (settings.EnableIncomingTcp, settings.EnableOutgoingTcp, settings.EnableIncomingUtp, settings.EnableOutgoingUtp, settings.UtpTargetDelay));
        Assert.True(background.UtpTargetDelay < new SessionSettings().UtpTargetDelay);
    }

    [Fact]
    public void An_unknown_choice_names_the_four()
    {
        var options = new NetworkOptions();
        var command = new RootCommand();
        options.AddTo(command);

        var error = Assert.Single(command.Parse(["--transport", "quic"]).Errors);
        Assert.Equal("--transport 'quic' is not one of tcp, utp, both, background.", error.Message);
    }
}
