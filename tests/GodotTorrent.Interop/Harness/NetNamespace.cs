using System.Globalization;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// A network namespace made for one test (<c>ip netns add</c>, root), with only <c>lo</c> up and
/// no route out; <see cref="LinkAsync"/> joins two with a veth pair created straight into them.
/// Processes run inside through <c>ip netns exec</c> (which execs, so the PID is the tool's).
/// Dispose deletes it (its veth ends go with it); stop what runs inside first.
/// </summary>
public sealed class NetNamespace : IDisposable
{
    private static readonly TimeSpan IpTimeout = TimeSpan.FromSeconds(10);
    private static int _serial;

    private NetNamespace(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>Makes a namespace named <c>prefix-PID-N</c> and brings its loopback up.</summary>
    public static async Task<NetNamespace> CreateAsync(string prefix)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{Environment.ProcessId}-{Interlocked.Increment(ref _serial)}");
        await ToolProcess.RunAsync("ip", ["netns", "add", name], IpTimeout);
        var created = new NetNamespace(name);
        try
        {
            await created.IpAsync("link", "set", "lo", "up");
            return created;
        }
        catch
        {
            created.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A veth pair: <paramref name="aName"/> in <paramref name="a"/> and <paramref name="bName"/> in
    /// <paramref name="b"/>, each given its addresses (CIDR; IPv6 without duplicate address
    /// detection, so it is usable at once) and brought up.
    /// </summary>
    public static async Task LinkAsync(NetNamespace a, string aName, IReadOnlyList<string> aAddresses, NetNamespace b, string bName, IReadOnlyList<string> bAddresses)
    {
        await ToolProcess.RunAsync("ip", ["link", "add", aName, "netns", a.Name, "type", "veth", "peer", "name", bName, "netns", b.Name], IpTimeout);
        foreach (var (ns, link, addresses) in new[] { (a, aName, aAddresses), (b, bName, bAddresses) })
        {
            foreach (var address in addresses)
            {
                if (address.Contains(':', StringComparison.Ordinal))
                {
                    await ns.IpAsync("-6", "addr", "add", address, "dev", link, "nodad");
                }
                else
                {
                    await ns.IpAsync("addr", "add", address, "dev", link);
                }
            }

            await ns.IpAsync("link", "set", link, "up");
        }
    }

    /// <summary>Runs <c>ip -n NAME ...</c>, bounded; throws on failure.</summary>
    public Task<ToolResult> IpAsync(params string[] arguments) =>
        ToolProcess.RunAsync("ip", arguments.Prepend(Name).Prepend("-n"), IpTimeout);

    /// <summary>Starts <paramref name="fileName"/> inside the namespace.</summary>
    public ToolProcess Start(string fileName, IEnumerable<string> arguments) =>
        ToolProcess.Start("ip", new[] { "netns", "exec", Name, fileName }.Concat(arguments));

    /// <summary>Runs <paramref name="fileName"/> inside the namespace to its end, bounded; a non-zero exit is returned, not thrown.</summary>
    public async Task<ToolResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var tool = Start(fileName, arguments);
        return await tool.WaitForExitAsync(timeout);
    }

    public void Dispose()
    {
        using var delete = ToolProcess.Start("ip", ["netns", "delete", Name]);
        try
        {
            delete.WaitForExitAsync(IpTimeout).GetAwaiter().GetResult();
        }
        catch (ToolFailedException)
        {
            // Killed after its bound; nothing more to do from a dispose.
        }
    }
}
