namespace GodotTorrent.Interop.Harness;

/// <summary>
/// Tests that compare speeds measured in the same run: they run after every other test class of
/// this assembly, one at a time, so the other interop tests do not take the CPU from one condition
/// and not the other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "alone";
}
