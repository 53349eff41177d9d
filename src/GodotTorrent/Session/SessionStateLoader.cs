namespace GodotTorrent.Session;

/// <summary>Starts a session from saved state; the caller may replace the saved settings before anything listens.</summary>
internal static class SessionStateLoader
{
    /// <summary>
    /// Decodes <paramref name="state"/>, passes its settings through <paramref name="adjust"/> (a
    /// game's current settings win over the saved ones), then creates and starts the session and
    /// adds the saved torrents in queue order.
    /// </summary>
    public static async Task<TorrentSession> LoadAsync(byte[] state, Func<SessionSettings, SessionSettings> adjust, TorrentSessionOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var (settings, torrents, dht) = SessionStateDecoder.Decode(state);
        var session = new TorrentSession(adjust(settings), options);
        session.Dht.Restore(dht);
        try
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
            foreach (var parameters in torrents)
            {
                await session.AddTorrentAsync(parameters, cancellationToken).ConfigureAwait(false);
            }

            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
