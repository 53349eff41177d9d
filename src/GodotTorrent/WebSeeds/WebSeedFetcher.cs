using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using GodotTorrent.Storage;
using GodotTorrent.Swarm;

namespace GodotTorrent.WebSeeds;

/// <summary>
/// The HTTP side of one web seed, off the engine loop: ranged GETs (keep-alive; HTTP/2 where TLS
/// offers it), redirects followed by hand within <see cref="MaxRedirects"/> (so loops fail cleanly
/// with any handler), a time-out on silence measured on the session's clock, every reply checked
/// (<see cref="WebSeedReplyCheck"/>), and the body read in large reads, then cut into pooled 16 KiB
/// block buffers.
/// </summary>
internal sealed class WebSeedFetcher(HttpClient client, TimeProvider time, TimeSpan idleTimeout, string userAgent)
{
    /// <summary>Most redirects followed for one request.</summary>
    public const int MaxRedirects = 5;

    // Bytes asked of the body per read. A read into a 16 KiB block window was one recv per 16 KiB
    // (66 per MiB); a larger buffer takes whatever the socket holds in one call, and copying it
    // into blocks costs less than the system calls it saves (bench/README.md, issue 15).
    private const int ReadBytes = 128 * 1024;

    /// <summary>
    /// Fetches <paramref name="run"/>, handing each block to <paramref name="deliver"/> (which owns
    /// the pooled buffer from then on) as soon as it is full and checked. Returns null when every
    /// block was delivered, or why the rest were not; throws <see cref="OperationCanceledException"/>
    /// when <paramref name="cancellationToken"/> stops it.
    /// </summary>
    public async Task<WebSeedFailure?> FetchAsync(WebSeedRun run, Action<BlockRequest, byte[]> deliver, CancellationToken cancellationToken)
    {
        var filler = new BlockFiller(run.Blocks, deliver);
        using var idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, idle.Token);
        try
        {
            foreach (var segment in run.Segments)
            {
                if (segment.IsZeros)
                {
                    filler.FillZeros(segment.Length);
                    continue;
                }

                idle.CancelAfter(idleTimeout);
                if (await FetchSegmentAsync(segment, filler, idle, linked.Token).ConfigureAwait(true) is { } failure)
                {
                    return failure;
                }
            }

            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && idle.IsCancellationRequested)
        {
            return new WebSeedFailure(ErrorCode.WebSeedTimeout, 0, $"nothing received for {idleTimeout.TotalSeconds:0.#} s", Permanent: false);
        }
        catch (HttpRequestException error) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient's own message often says only "see inner exception" (a TLS failure): name the cause.
            var cause = error.GetBaseException();
            string message = ReferenceEquals(cause, error) ? error.Message : $"{error.Message} ({cause.Message})";
            return new WebSeedFailure(ErrorCode.WebSeedConnectFailed, 0, message, Permanent: false);
        }
        catch (IOException error) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebSeedFailure(ErrorCode.WebSeedConnectFailed, 0, $"the connection failed: {error.Message}", Permanent: false);
        }
        finally
        {
            filler.Dispose();
        }
    }

    private async Task<WebSeedFailure?> FetchSegmentAsync(WebSeedSegment segment, BlockFiller filler, CancellationTokenSource idle, CancellationToken cancellationToken)
    {
        var (response, failure) = await SendFollowingRedirectsAsync(segment, cancellationToken).ConfigureAwait(true);
        if (response is null)
        {
            return failure;
        }

        using (response)
        {
            if (WebSeedReplyCheck.Check(response, segment, time.GetUtcNow()) is { } bad)
            {
                return bad;
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(true);
            var staging = ArrayPool<byte>.Shared.Rent((int)Math.Min(ReadBytes, segment.Length + 1));
            await using (body.ConfigureAwait(true))
            {
                try
                {
                    long remaining = segment.Length;
                    while (remaining > 0)
                    {
                        int read = await body.ReadAsync(staging.AsMemory(0, (int)Math.Min(staging.Length, remaining)), cancellationToken).ConfigureAwait(true);
                        if (read == 0)
                        {
                            return new WebSeedFailure(ErrorCode.WebSeedBadReply, (int)response.StatusCode,
                                $"the body ended {remaining} bytes short of the {segment.Length} asked", Permanent: true);
                        }

                        idle.CancelAfter(idleTimeout);
                        remaining -= read;

                        // The block that ends the range waits until the body is known to end there too.
                        filler.Copy(staging.AsSpan(0, read), deliverLast: remaining > 0);
                    }

                    if (await body.ReadAsync(staging.AsMemory(0, 1), cancellationToken).ConfigureAwait(true) > 0)
                    {
                        return new WebSeedFailure(ErrorCode.WebSeedBadReply, (int)response.StatusCode, $"the body is longer than the {segment.Length} bytes asked", Permanent: true);
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(staging);
                }

                filler.DeliverIfFull();
            }
        }

        return null;
    }

    private async Task<(HttpResponseMessage? Response, WebSeedFailure? Failure)> SendFollowingRedirectsAsync(WebSeedSegment segment, CancellationToken cancellationToken)
    {
        var uri = new Uri(segment.Url!);
        var visited = new HashSet<Uri> { uri };
        for (int hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri)
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            };
            request.Headers.Range = new RangeHeaderValue(segment.FileOffset, segment.FileOffset + segment.Length - 1);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            request.Headers.UserAgent.TryParseAdd(userAgent);
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(true);
            if (!IsRedirect(response.StatusCode))
            {
                return (response, null);
            }

            int status = (int)response.StatusCode;
            var location = response.Headers.Location;
            response.Dispose();
            if (location is null)
            {
                return (null, new WebSeedFailure(ErrorCode.WebSeedHttpError, status, $"HTTP {status} without a Location", Permanent: true));
            }

            var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
            if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
            {
                return (null, new WebSeedFailure(ErrorCode.WebSeedHttpError, status, $"redirected to '{next}', not http or https", Permanent: true));
            }

            if (!visited.Add(next))
            {
                return (null, new WebSeedFailure(ErrorCode.WebSeedTooManyRedirects, status, $"redirect loop back to {next}", Permanent: true));
            }

            if (hop + 1 > MaxRedirects)
            {
                return (null, new WebSeedFailure(ErrorCode.WebSeedTooManyRedirects, status, $"more than {MaxRedirects} redirects", Permanent: true));
            }

            uri = next;
        }
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>Fills the run's blocks in order, one pooled buffer at a time.</summary>
    private sealed class BlockFiller(IReadOnlyList<BlockRequest> blocks, Action<BlockRequest, byte[]> deliver) : IDisposable
    {
        private int _block;
        private byte[]? _buffer;
        private int _filled;

        /// <summary>Where the next bytes go: the rest of the current block, at most <paramref name="limit"/> bytes.</summary>
        public Memory<byte> Window(long limit)
        {
            var buffer = _buffer ??= BlockPool.Shared.Rent(BlockRequest.BlockSize);
            int room = blocks[_block].Length - _filled;
            return buffer.AsMemory(_filled, (int)Math.Min(room, limit));
        }

        public void Advance(int count, bool deliverFull)
        {
            _filled += count;
            if (deliverFull)
            {
                DeliverIfFull();
            }
        }

        /// <summary>
        /// Copies <paramref name="data"/> into the blocks in order, handing over each block it fills;
        /// the block filled by its last byte only when <paramref name="deliverLast"/>.
        /// </summary>
        public void Copy(ReadOnlySpan<byte> data, bool deliverLast)
        {
            while (!data.IsEmpty)
            {
                var window = Window(data.Length).Span;
                data[..window.Length].CopyTo(window);
                data = data[window.Length..];
                Advance(window.Length, deliverFull: deliverLast || !data.IsEmpty);
            }
        }

        public void FillZeros(long length)
        {
            while (length > 0)
            {
                var window = Window(length);
                window.Span.Clear();
                length -= window.Length;
                Advance(window.Length, deliverFull: true);
            }
        }

        public void DeliverIfFull()
        {
            if (_buffer is not null && _filled == blocks[_block].Length)
            {
                var buffer = _buffer;
                _buffer = null;
                _filled = 0;
                deliver(blocks[_block++], buffer);
            }
        }

        public void Dispose()
        {
            if (_buffer is not null)
            {
                BlockPool.Shared.Return(_buffer);
                _buffer = null;
            }
        }
    }
}
