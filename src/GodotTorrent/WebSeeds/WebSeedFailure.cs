namespace GodotTorrent.WebSeeds;

/// <summary>
/// Why a web seed request failed. A transient failure (unreachable, time-out, 5xx, 429) only
/// backs off; a permanent one (a reply that breaks the rules) also counts towards dropping the web seed.
/// </summary>
/// <param name="Code">The error.</param>
/// <param name="HttpStatus">The reply's HTTP status, or 0 when there was none.</param>
/// <param name="Message">What went wrong, for the alert.</param>
/// <param name="Permanent">True when retrying the same server is unlikely to help.</param>
/// <param name="RetryAfter">How long the server asked us to wait (503 or 429 with <c>Retry-After</c>).</param>
internal sealed record WebSeedFailure(ErrorCode Code, int HttpStatus, string Message, bool Permanent, TimeSpan? RetryAfter = null);
