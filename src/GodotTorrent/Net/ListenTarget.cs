using System.Net;

namespace GodotTorrent.Net;

/// <summary>One address to listen on, as a listen entry resolved it; or a named interface that gave none.</summary>
/// <param name="Address">The address, or null when <see cref="Failure"/> says why there is none.</param>
/// <param name="Port">The entry's own port, or null for the session's <c>ListenPort</c> and range.</param>
/// <param name="InterfaceName">The interface the entry named, or null when it gave an address.</param>
/// <param name="Failure">Why a named interface gave no address.</param>
internal sealed record ListenTarget(IPAddress? Address, int? Port, string? InterfaceName = null, string? Failure = null);
