using System.Globalization;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// Readiness checks with <c>ss -ltn</c>, never by connecting: Transmission 3.00 can crash or hang
/// (and then refuse every later peer from 127.0.0.1) after a throwaway TCP connection.
/// </summary>
public static class ListeningSockets
{
    private static readonly TimeSpan SsTimeout = TimeSpan.FromSeconds(10);

    /// <summary>True when some socket listens on TCP <paramref name="port"/> (any local address).</summary>
    public static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken = default)
    {
        var result = await ToolProcess.RunAsync(
            "ss", ["-ltnH", "sport = :" + port.ToString(CultureInfo.InvariantCulture)], SsTimeout, cancellationToken: cancellationToken);
        return result.StandardOutput.Split('\n').Any(line => line.StartsWith("LISTEN", StringComparison.Ordinal));
    }

    /// <summary>
    /// Polls until every port listens. Throws <see cref="ToolFailedException"/> when
    /// <paramref name="owner"/> exits first or after <paramref name="timeout"/>.
    /// </summary>
    public static async Task WaitAsync(IReadOnlyCollection<int> ports, TimeSpan timeout, ToolProcess? owner = null, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            while (true)
            {
                if (owner is { HasExited: true })
                {
                    throw new ToolFailedException($"{owner.CommandLine} exited before listening on {string.Join(", ", ports)}; stderr: {owner.StandardError.Trim()}; stdout: {owner.StandardOutput.Trim()}");
                }

                var listening = true;
                foreach (var port in ports)
                {
                    listening &= await IsListeningAsync(port, limit.Token);
                }

                if (listening)
                {
                    return;
                }

                await Task.Delay(100, limit.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolFailedException($"nothing listened on {string.Join(", ", ports)} within {timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" + (owner is null ? "" : $"; stderr of {owner.CommandLine}: {owner.StandardError.Trim()}"));
        }
    }
}
