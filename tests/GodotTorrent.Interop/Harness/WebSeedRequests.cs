namespace GodotTorrent.Interop.Harness;

/// <summary>Checks on what a web-seed client asked nginx for, from its access log.</summary>
public static class WebSeedRequests
{
    /// <summary>
    /// Every request was a GET answered 200 or 206 for a real file of <see cref="WebSeedContent.Layout"/>
    /// under <paramref name="prefix"/> (URL paths compared decoded, so clients may encode differently):
    /// no pad file, no empty file, nothing else. Returns the body bytes served.
    /// </summary>
    public static long AssertOnlyRealFiles(IReadOnlyList<NginxRequest> requests, string prefix = "/")
    {
        var files = WebSeedContent.Layout.Where(f => f.Size > 0).Select(f => prefix + WebSeedContent.Name + "/" + f.Path).ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(requests);
        foreach (var request in requests)
        {
            var path = Uri.UnescapeDataString(request.Path);
            Assert.DoesNotContain(".pad", path, StringComparison.Ordinal);
            Assert.True(files.Contains(path), $"request for {request.Uri} ({path}): not a real file of the torrent; {request}");
            Assert.Equal("GET", request.Method);
            Assert.True(request.Status is 200 or 206, $"status {request.Status}: {request}");
        }

        return requests.Sum(r => r.BodyBytes);
    }
}
