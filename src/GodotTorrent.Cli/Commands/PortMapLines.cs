using System.Globalization;
using System.Text.Json;
using GodotTorrent.Alerts;
using GodotTorrent.Cli.Output;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// Prints what the router said about our ports: each mapping (and renewal) as a line on stderr, or
/// a <c>portmap</c> JSON line; each failure once per distinct message (a silent router is retried
/// every few minutes), or a <c>portmap_error</c> JSON line.
/// </summary>
internal sealed class PortMapLines
{
    private readonly CliConsole _console;
    private readonly bool _json;
    private readonly HashSet<string> _failuresSeen = [];
    private List<(Func<string> Json, string Line)>? _held = [];

    private PortMapLines(CliConsole console, bool json)
    {
        _console = console;
        _json = json;
    }

    /// <summary>
    /// Watches a session's port mapping alerts; call before the session starts. Lines are held
    /// until <see cref="Release"/>, so the listening line (or JSON event) comes first.
    /// </summary>
    public static PortMapLines Watch(CliConsole console, AlertManager alerts, bool json)
    {
        var lines = new PortMapLines(console, json);
        alerts.AlertPosted += (_, e) => lines.OnAlert(e.Alert);
        return lines;
    }

    /// <summary>Prints the lines held so far, and every later one as it comes.</summary>
    public void Release()
    {
        List<(Func<string> Json, string Line)>? held;
        lock (_failuresSeen)
        {
            held = _held;
            _held = null;
            foreach (var (json, line) in held ?? [])
            {
                Print(json, line);
            }
        }
    }

    /// <summary>The one line for a mapping: <c>Port mapped (NAT-PMP): TCP 6881 -> 203.0.113.5:6881</c>.</summary>
    public static string Describe(PortMapping mapping)
    {
        string external = mapping.ExternalAddress is { } address
            ? $"{address}:{mapping.ExternalPort.ToString(CultureInfo.InvariantCulture)}"
            : $"external port {mapping.ExternalPort.ToString(CultureInfo.InvariantCulture)}";
        return $"Port mapped ({PortMapErrorAlert.Name(mapping.Mechanism)}): {Transport(mapping.Transport)} {mapping.InternalPort.ToString(CultureInfo.InvariantCulture)} -> {external}";
    }

    /// <summary>The one line for a failure: <c>Port mapping failed (NAT-PMP): TCP 6881: reason</c>, or without the port when the failure is not about one.</summary>
    public static string Describe(PortMapErrorAlert failure)
    {
        string port = failure.Transport is { } transport ? $"{Transport(transport)} {failure.InternalPort.ToString(CultureInfo.InvariantCulture)}: " : string.Empty;
        return $"Port mapping failed ({PortMapErrorAlert.Name(failure.Mechanism)}): {port}{failure.Reason}";
    }

    private static string Transport(PortMappingTransport transport) => transport == PortMappingTransport.Tcp ? "TCP" : "UDP";

    private static string JsonName(PortMappingMechanism mechanism) => mechanism.ToString().ToLowerInvariant();

    private void OnAlert(Alert alert)
    {
        if (alert is PortMapAlert mapped)
        {
            var m = mapped.Mapping;
            Write(() => JsonSerializer.Serialize(
                new PortMapReport("portmap", JsonName(m.Mechanism), Transport(m.Transport).ToLowerInvariant(), m.InternalPort, m.ExternalPort, m.ExternalAddress?.ToString()),
                CliJsonContext.Lines.PortMapReport), Describe(m));
        }
        else if (alert is PortMapErrorAlert failed)
        {
            string line = Describe(failed);
            lock (_failuresSeen)
            {
                if (!_failuresSeen.Add(line))
                {
                    return;
                }
            }

            Write(() => JsonSerializer.Serialize(
                new PortMapErrorReport("portmap_error", JsonName(failed.Mechanism), failed.Transport is { } t ? Transport(t).ToLowerInvariant() : null, failed.InternalPort, failed.Error.ToString(), failed.Reason),
                CliJsonContext.Lines.PortMapErrorReport), line);
        }
    }

    private void Write(Func<string> json, string line)
    {
        lock (_failuresSeen)
        {
            // Bounded: a session that never reaches Release prints nothing anyway.
            if (_held is { Count: < 32 })
            {
                _held.Add((json, line));
            }
            else if (_held is null)
            {
                Print(json, line);
            }
        }
    }

    private void Print(Func<string> json, string line)
    {
        if (_json)
        {
            _console.Out.WriteLine(json());
            _console.Out.Flush();
        }
        else
        {
            _console.Error.WriteLine(line);
        }
    }
}
