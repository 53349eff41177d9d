using System.Collections.Concurrent;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace GodotTorrent.Cli.Output;

/// <summary>A progress column showing the text each row was last updated with (sizes, rates, peers).</summary>
internal sealed class DetailColumn : ProgressColumn
{
    private readonly ConcurrentDictionary<int, string> _details = new();

    protected override bool NoWrap => true;

    public void Set(ProgressTask task, string detail) => _details[task.Id] = detail;

    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text(_details.GetValueOrDefault(task.Id, string.Empty));
}
