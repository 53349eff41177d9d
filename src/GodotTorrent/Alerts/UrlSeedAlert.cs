using GodotTorrent.Session;

namespace GodotTorrent.Alerts;

/// <summary>
/// A web seed (BEP 19) failed: a request failed and it backs off, or it was dropped (repeated bad
/// replies, or pieces of its data that failed the hash check). As libtorrent's <c>url_seed_alert</c>.
/// </summary>
/// <param name="Handle">The torrent.</param>
/// <param name="Url">The web seed's URL.</param>
/// <param name="HttpStatus">The HTTP status of the reply, or 0 when there was none.</param>
/// <param name="Error">What went wrong.</param>
/// <param name="ErrorMessage">A description of the error, and what the engine does about it.</param>
/// <param name="Dropped">True when the web seed is no longer used (until it is added again).</param>
public sealed record UrlSeedAlert(TorrentHandle Handle, string Url, int HttpStatus, ErrorCode Error, string ErrorMessage, bool Dropped) : TorrentAlert(Handle)
{
    /// <inheritdoc/>
    public override string TypeName => "url_seed";

    /// <inheritdoc/>
    public override AlertCategory Category => AlertCategory.Error;

    /// <inheritdoc/>
    public override ErrorCode ErrorCode => Error;

    /// <inheritdoc/>
    public override string Message => $"{TorrentName}: web seed {Url}{(HttpStatus > 0 ? $" (HTTP {HttpStatus})" : string.Empty)}: {ErrorMessage}";
}
