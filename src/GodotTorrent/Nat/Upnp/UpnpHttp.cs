using System.Net;
using System.Net.Sockets;
using System.Text;
using GodotTorrent.Net;

namespace GodotTorrent.Nat.Upnp;

/// <summary>
/// The HTTP side of talking to a gateway, off the engine loop: the description GET and SOAP POSTs,
/// each bounded by <see cref="UpnpOptions.HttpTimeout"/> on the session's clock, bodies counted
/// against a limit as they arrive (Content-Length is not trusted), no redirects, no proxy.
/// </summary>
internal sealed class UpnpHttp : IDisposable
{
    private readonly HttpClient _client;
    private readonly UpnpOptions _options;
    private readonly TimeProvider _time;

    public UpnpHttp(HttpMessageHandler handler, UpnpOptions options, TimeProvider time)
    {
        if (handler is SocketsHttpHandler sockets)
        {
            // A gateway is on the LAN: a proxy cannot reach it, and a redirect would lead off it.
            sockets.UseProxy = false;
            sockets.AllowAutoRedirect = false;
            sockets.UseCookies = false;
            sockets.MaxResponseHeadersLength = 16;
        }

        _client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _options = options;
        _time = time;
    }

    /// <summary>GETs the device description.</summary>
    public async Task<byte[]> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var (status, body) = await SendAsync(request, _options.MaxDescriptionBytes, cancellationToken).ConfigureAwait(true);
        return status == 200 ? body : throw new TorrentException(ErrorCode.GatewayBadReply, $"the device description at {url} answered HTTP {status}");
    }

    /// <summary>Calls one action of the gateway's service.</summary>
    public async Task<UpnpSoapReply> InvokeAsync(UpnpService service, string action, IReadOnlyList<(string Name, string Value)> arguments, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, service.ControlUrl);
        request.Content = new StringContent(UpnpSoap.Envelope(service.ServiceType, action, arguments), Encoding.UTF8);
        request.Content.Headers.ContentType = new("text/xml") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("SOAPAction", $"\"{service.ServiceType}#{action}\"");
        var (status, body) = await SendAsync(request, _options.MaxSoapReplyBytes, cancellationToken).ConfigureAwait(true);
        return UpnpSoap.ParseReply(status, body);
    }

    public void Dispose() => _client.Dispose();

    private async Task<(int Status, byte[] Body)> SendAsync(HttpRequestMessage request, int limit, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.HttpTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(true);
            var body = await BoundedHttpBody.ReadAsync(response, limit, continueOnCapturedContext: true, linked.Token).ConfigureAwait(true)
                ?? throw TooLarge(request, limit);
            return ((int)response.StatusCode, body);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TorrentException(ErrorCode.GatewayTimeout, $"the gateway at {request.RequestUri?.Authority} did not answer within {_options.HttpTimeout.TotalSeconds:0.#} s", e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or SocketException)
        {
            throw new TorrentException(ErrorCode.GatewayNotFound, $"the gateway at {request.RequestUri?.Authority} could not be reached: {e.GetBaseException().Message}", e);
        }
    }

    private static TorrentException TooLarge(HttpRequestMessage request, int limit) =>
        new(ErrorCode.GatewayBadReply, $"the gateway's reply to {request.RequestUri?.AbsolutePath} is larger than {limit} bytes");
}
