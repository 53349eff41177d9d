using GodotTorrent.Integration;

namespace GodotTorrent.Tests.Integration;

public class GodotPathResolverTests
{
    private static readonly string UserDir = Path.Combine(Path.GetTempPath(), "godot-user");

    // What ProjectSettings.GlobalizePath does: user:// always maps to a folder; res:// only in the
    // editor (an exported game returns it unchanged because the files are inside the .pck).
    private static string EditorGlobalize(string path) =>
        path.StartsWith("user://", StringComparison.Ordinal) ? Path.Combine(UserDir, path["user://".Length..])
        : path.StartsWith("res://", StringComparison.Ordinal) ? Path.Combine("/project", path["res://".Length..])
        : path;

    private static string ExportedGlobalize(string path) =>
        path.StartsWith("user://", StringComparison.Ordinal) ? Path.Combine(UserDir, path["user://".Length..]) : path;

    [Fact]
    public void User_and_res_paths_are_globalised_and_normalised()
    {
        var resolver = new GodotPathResolver(EditorGlobalize);
        Assert.Equal(Path.Combine(UserDir, "downloads"), resolver.Resolve("user://downloads"));
        Assert.Equal(Path.Combine(UserDir, "b"), resolver.Resolve("user://a/../b"));
        Assert.Equal("/project/dlc/pack.torrent", resolver.Resolve("res://dlc/pack.torrent"));
        Assert.True(GodotPathResolver.IsGodotPath("user://x"));
        Assert.False(GodotPathResolver.IsGodotPath("/x"));
    }

    [Fact]
    public void Absolute_paths_pass_through_normalised()
    {
        var resolver = new GodotPathResolver(_ => throw new InvalidOperationException("not a Godot path"));
        Assert.Equal("/srv/seed/pack", resolver.Resolve("/srv/seed/./x/../pack"));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("downloads/pack", "relative")]
    [InlineData("./pack", "relative")]
    [InlineData("http://example.com/pack", "only user://, res:// and absolute paths")]
    [InlineData("/a\0b", "NUL")]
    public void Unusable_paths_are_refused_with_the_reason(string path, string reason)
    {
        var resolver = new GodotPathResolver(EditorGlobalize);
        var e = Assert.Throws<TorrentException>(() => resolver.Resolve(path));
        Assert.Equal(ErrorCode.InvalidPath, e.ErrorCode);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.False(resolver.TryResolve(path, out var resolved, out var error));
        Assert.Equal(string.Empty, resolved);
        Assert.Equal(e.Message, error);
    }

    [Fact]
    public void A_res_path_in_an_exported_game_is_refused_with_advice()
    {
        var resolver = new GodotPathResolver(ExportedGlobalize);
        var e = Assert.Throws<TorrentException>(() => resolver.Resolve("res://dlc/pack.torrent"));
        Assert.Contains(".pck", e.Message, StringComparison.Ordinal);
        Assert.Contains("user://", e.Message, StringComparison.Ordinal);
        Assert.True(resolver.TryResolve("user://dlc", out var ok, out _));
        Assert.Equal(Path.Combine(UserDir, "dlc"), ok);
    }

    [Fact]
    public void A_globalize_function_giving_a_relative_path_is_refused()
    {
        var resolver = new GodotPathResolver(_ => "relative/dir");
        var e = Assert.Throws<TorrentException>(() => resolver.Resolve("user://x"));
        Assert.Contains("could not turn it into an absolute path", e.Message, StringComparison.Ordinal);
    }
}
