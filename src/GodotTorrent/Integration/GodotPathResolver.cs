namespace GodotTorrent.Integration;

/// <summary>
/// Turns the paths a Godot game uses (<c>user://downloads</c>, <c>res://dlc/pack.torrent</c>,
/// absolute paths) into absolute file-system paths, with Godot's own globalize function passed
/// in (<c>ProjectSettings.GlobalizePath</c>) so the library needs no Godot reference. Anything
/// else is refused with <see cref="ErrorCode.InvalidPath"/>: relative paths (they would depend
/// on the working directory), other schemes, and <c>res://</c> paths that stay virtual (in an
/// exported game they live inside the .pck, not on disk).
/// </summary>
public sealed class GodotPathResolver
{
    private readonly Func<string, string> _globalize;

    /// <summary>Creates a resolver that calls <paramref name="globalize"/> for <c>user://</c> and <c>res://</c> paths.</summary>
    public GodotPathResolver(Func<string, string> globalize)
    {
        ArgumentNullException.ThrowIfNull(globalize);
        _globalize = globalize;
    }

    /// <summary>True for <c>user://</c> and <c>res://</c> paths.</summary>
    public static bool IsGodotPath(string path) =>
        path is not null && (path.StartsWith("user://", StringComparison.Ordinal) || path.StartsWith("res://", StringComparison.Ordinal));

    /// <summary>The absolute, normalised file-system path for <paramref name="path"/>; throws <see cref="TorrentException"/> for paths it cannot use.</summary>
    public string Resolve(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw Invalid(path, "it is empty");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw Invalid(path, "it contains a NUL character");
        }

        string resolved = path;
        if (IsGodotPath(path))
        {
            resolved = _globalize(path);
            if (string.IsNullOrEmpty(resolved) || IsGodotPath(resolved) || !Path.IsPathFullyQualified(resolved))
            {
                throw Invalid(path, path.StartsWith("res://", StringComparison.Ordinal)
                    ? "res:// paths are not files on disk in an exported game (they are packed in the .pck); use user:// or an absolute path"
                    : "Godot could not turn it into an absolute path");
            }
        }
        else if (path.Contains("://", StringComparison.Ordinal))
        {
            throw Invalid(path, "only user://, res:// and absolute paths are supported");
        }
        else if (!Path.IsPathFullyQualified(path))
        {
            throw Invalid(path, "it is relative; use user://, res:// or an absolute path");
        }

        return Path.GetFullPath(resolved);
    }

    /// <summary>Like <see cref="Resolve"/>, but returns false with the reason instead of throwing.</summary>
    public bool TryResolve(string path, out string resolved, out string error)
    {
        try
        {
            resolved = Resolve(path);
            error = string.Empty;
            return true;
        }
        catch (TorrentException e)
        {
            resolved = string.Empty;
            error = e.Message;
            return false;
        }
    }

    private static TorrentException Invalid(string? path, string reason) =>
        new(ErrorCode.InvalidPath, $"Cannot use the path '{path}': {reason}.");
}
