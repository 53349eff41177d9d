using GodotTorrent.Session;
using GodotTorrent.Torrent;

namespace GodotTorrent.Tests.Torrent;

public class TorrentLifecycleTests
{
    [Fact]
    public void The_phase_follows_the_data_until_something_holds_the_torrent()
    {
        var lifecycle = new TorrentLifecycle(paused: false, TorrentState.DownloadingMetadata);

        Assert.Equal(TorrentPhase.Metadata, lifecycle.Phase(hasMetadata: false, piecesReady: false));
        Assert.Equal(TorrentPhase.Checking, lifecycle.Phase(hasMetadata: true, piecesReady: false));
        Assert.Equal(TorrentPhase.Active, lifecycle.Phase(hasMetadata: true, piecesReady: true));

        lifecycle.SetQueued(true);
        Assert.Equal(TorrentPhase.Queued, lifecycle.Phase(true, true));
        lifecycle.Pause();
        Assert.Equal(TorrentPhase.Paused, lifecycle.Phase(true, true));
        lifecycle.Fail(ErrorCode.DiskFull, "disk full");
        Assert.Equal(TorrentPhase.Error, lifecycle.Phase(true, true));
        lifecycle.Stop();
        Assert.Equal(TorrentPhase.Stopped, lifecycle.Phase(true, true));
    }

    [Fact]
    public void An_error_pauses_and_clearing_it_resumes_only_the_pause_it_caused()
    {
        var lifecycle = new TorrentLifecycle(paused: false, TorrentState.Downloading);

        Assert.True(lifecycle.Fail(ErrorCode.DiskFull, "disk full"));
        Assert.False(lifecycle.Fail(ErrorCode.FileMissing, "second"));
        Assert.True(lifecycle.IsPaused);
        Assert.Equal(TorrentState.Error, lifecycle.PublicState);
        Assert.Equal("disk full", lifecycle.ErrorMessage);

        Assert.True(lifecycle.ClearError(out bool resume));
        Assert.True(resume);
        Assert.Equal(TorrentState.Downloading, lifecycle.PublicState);

        // Paused by the app first: the error's clearing leaves the app's pause alone.
        var paused = new TorrentLifecycle(paused: true, TorrentState.Downloading);
        paused.Fail(ErrorCode.DiskFull, "disk full");
        paused.ClearError(out bool resumePaused);
        Assert.False(resumePaused);
    }

    [Fact]
    public void Pausing_a_torrent_stopped_by_an_error_makes_the_pause_the_apps()
    {
        var lifecycle = new TorrentLifecycle(paused: false, TorrentState.Downloading);
        lifecycle.Fail(ErrorCode.DiskFull, "disk full");

        Assert.False(lifecycle.Pause());
        lifecycle.ClearError(out bool resume);

        Assert.False(resume);
        Assert.True(lifecycle.IsPaused);
    }

    [Fact]
    public void Resuming_clears_the_error()
    {
        var lifecycle = new TorrentLifecycle(paused: false, TorrentState.Downloading);
        lifecycle.Fail(ErrorCode.DiskFull, "disk full");

        Assert.True(lifecycle.Resume(out bool hadError));

        Assert.True(hadError);
        Assert.False(lifecycle.HasError);
        Assert.Equal(TorrentPhase.Active, lifecycle.Phase(true, true));
        Assert.False(lifecycle.Resume(out _));
    }

    [Theory]
    [InlineData("Metadata", true, true, false, false, true)]
    [InlineData("Checking", false, true, false, true, false)]
    [InlineData("Active", true, true, true, true, true)]
    [InlineData("Paused", false, false, false, false, false)]
    [InlineData("Queued", false, false, false, false, false)]
    [InlineData("Error", false, false, false, false, false)]
    [InlineData("Stopped", false, false, false, false, false)]
    public void Each_phase_allows_what_it_says(string name, bool dial, bool accept, bool request, bool upload, bool announce)
    {
        var phase = Enum.Parse<TorrentPhase>(name);
        Assert.Equal(dial, phase.AllowsDialling());
        Assert.Equal(accept, phase.AllowsAcceptingPeers());
        Assert.Equal(request, phase.AllowsRequesting());
        Assert.Equal(upload, phase.AllowsUploading());
        Assert.Equal(announce, phase.AllowsAnnouncing());
    }
}
