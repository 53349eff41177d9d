using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GodotTorrent.Cli.Output;

/// <summary>
/// Source-generated JSON for the CLI's <c>--json</c> output (no reflection, so it trims).
/// Names are snake_case and nulls are written, so scripts can rely on every field being there.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(InfoReport))]
[JsonSerializable(typeof(CheckReport))]
[JsonSerializable(typeof(ListeningReport))]
[JsonSerializable(typeof(PortMapReport))]
[JsonSerializable(typeof(PortMapErrorReport))]
[JsonSerializable(typeof(TransferReport))]
[JsonSerializable(typeof(SourceErrorReport))]
[JsonSerializable(typeof(SeedboxReport))]
[JsonSerializable(typeof(VersionReport))]
[JsonSerializable(typeof(ReuseReport))]
[JsonSerializable(typeof(StreamReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context to write with: as generated, but with URLs and non-ASCII names left readable
    /// (the output goes to a terminal or a script, never into HTML).
    /// </summary>
    public static CliJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>The same, one object per line (for the JSON lines of <c>download</c> and <c>seed</c>).</summary>
    public static CliJsonContext Lines { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
