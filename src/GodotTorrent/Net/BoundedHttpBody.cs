namespace GodotTorrent.Net;

/// <summary>
/// Reads an HTTP reply body from a stranger (a tracker, a gateway) up to a limit, counting the
/// bytes as they arrive: a Content-Length over the limit is refused at once, and one that lies is
/// caught by the count.
/// </summary>
internal static class BoundedHttpBody
{
    /// <summary>The whole body, or null when it is larger than <paramref name="limit"/> bytes.</summary>
    /// <param name="response">A reply read with <see cref="HttpCompletionOption.ResponseHeadersRead"/>.</param>
    /// <param name="limit">The most bytes accepted.</param>
    /// <param name="continueOnCapturedContext">What the caller's own awaits use (code the background runner starts keeps its context).</param>
    /// <param name="cancellationToken">Ends the read (the caller's time-out).</param>
    public static async Task<byte[]?> ReadAsync(HttpResponseMessage response, int limit, bool continueOnCapturedContext, CancellationToken cancellationToken)
    {
        long? declared = response.Content.Headers.ContentLength;
        if (declared > limit)
        {
            return null;
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(continueOnCapturedContext);
        await using (stream.ConfigureAwait(continueOnCapturedContext))
        {
            // Grow as the body arrives instead of trusting Content-Length.
            byte[] buffer = new byte[(int)Math.Min(declared ?? 16 * 1024, limit) + 1];
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        return null;
                    }

                    Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, (long)limit + 1));
                }

                int read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(continueOnCapturedContext);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }

            return length > limit ? null : buffer.AsSpan(0, length).ToArray();
        }
    }
}
