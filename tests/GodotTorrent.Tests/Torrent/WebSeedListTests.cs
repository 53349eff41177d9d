using GodotTorrent.Torrent;

namespace GodotTorrent.Tests.Torrent;

public class WebSeedListTests
{
    [Fact]
    public void Seeds_are_kept_once_each_in_the_order_they_came()
    {
        var seeds = new WebSeedList(["http://a/", "https://b/", "http://a/"]);

        seeds.Add("https://b/");
        seeds.Add("http://c/");

        Assert.Equal(["http://a/", "https://b/", "http://c/"], seeds.ToList());
        Assert.True(seeds.Remove("https://b/"));
        Assert.False(seeds.Remove("https://b/"));
        Assert.Equal(["http://a/", "http://c/"], seeds.ToList());
    }

    [Theory]
    [InlineData("ftp://a/file")]
    [InlineData("not a url")]
    public void Only_http_and_https_urls_are_web_seeds(string url)
    {
        var seeds = new WebSeedList([]);

        var e = Assert.Throws<TorrentException>(() => seeds.Add(url));

        Assert.Equal(ErrorCode.InvalidArgument, e.ErrorCode);
        Assert.Empty(seeds.ToList());
    }
}
