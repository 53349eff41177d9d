namespace GodotTorrent.Tests.WebSeeds;

/// <summary>Several <see cref="FakeWebServer"/>s behind one injected handler, chosen by the request's host name.</summary>
internal sealed class RoutingServer(params (string Host, FakeWebServer Server)[] servers)
{
    public HttpMessageHandler CreateHandler() => new Handler(servers.ToDictionary(s => s.Host, s => s.Server.CreateHandler()));

    private sealed class Handler(Dictionary<string, HttpMessageHandler> byHost) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            new HttpMessageInvoker(byHost[request.RequestUri!.Host], disposeHandler: false).SendAsync(request, cancellationToken);
    }
}
