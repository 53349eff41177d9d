using GodotTorrent.Alerts;

namespace GodotTorrent.Integration;

/// <summary>
/// One signal to emit for an alert: the signal's snake_case name (<c>torrent_finished</c>), its
/// Godot C# name (<c>TorrentFinished</c>) and arguments that convert to Godot Variants as they are:
/// <see cref="string"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>,
/// <c>IReadOnlyDictionary&lt;string, object?&gt;</c> and <c>IReadOnlyList&lt;object?&gt;</c> of those.
/// </summary>
/// <param name="Name">The snake_case signal name, stable across versions.</param>
/// <param name="Args">The arguments, in the signal's declared order.</param>
/// <param name="Alert">The alert it came from (null for signals not made from an alert, such as <c>status_updated</c>).</param>
public sealed record AlertSignal(string Name, IReadOnlyList<object?> Args, Alert? Alert)
{
    /// <summary>The PascalCase name a C# <c>[Signal]</c> delegate declares it under: <c>torrent_finished</c> gives <c>TorrentFinished</c>.</summary>
    public string GodotName => ToPascalCase(Name);

    /// <summary>Converts a snake_case name to PascalCase (<c>status_updated</c> to <c>StatusUpdated</c>).</summary>
    public static string ToPascalCase(string snakeCase)
    {
        ArgumentNullException.ThrowIfNull(snakeCase);
        return string.Concat(snakeCase.Split('_', StringSplitOptions.RemoveEmptyEntries)
            .Select(part => char.ToUpperInvariant(part[0]) + part[1..]));
    }
}
