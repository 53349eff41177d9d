namespace GodotTorrent.Interop.Harness;

/// <summary>
/// transmission-create (Transmission 3.00). Each tracker (-t) becomes its own tier.
/// PieceSizeKiB (-s) overrides its choice. It has no option to skip "creation date", to set
/// "created by" or a name, nor for web seeds.
/// </summary>
public sealed record TransmissionCreateOptions(string Path, string OutputPath)
{
    public IReadOnlyList<string> Trackers { get; init; } = [];

    public int? PieceSizeKiB { get; init; }

    public bool Private { get; init; }

    public string? Comment { get; init; }
}
