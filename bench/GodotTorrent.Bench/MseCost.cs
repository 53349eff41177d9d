using System.Diagnostics;
using GodotTorrent.Net.Encryption;

namespace GodotTorrent.Bench;

/// <summary>
/// What MSE costs on this machine: the Diffie-Hellman work of one handshake (one side: its key
/// pair and the shared secret), median and 99th percentile, and RC4 throughput over 16 KiB buffers
/// (per CPU second, beside OpenSSL's own RC4 on the same machine when its legacy provider loads).
/// </summary>
internal static class MseCost
{
    public static int Run()
    {
        var random = RandomBytes.Secure;
        var peer = new MseKeyExchange(random).PublicKey;
        for (int n = 0; n < 50; n++)
        {
            new MseKeyExchange(random).SharedSecret(peer);
        }

        const int handshakes = 2000;
        var samples = new double[handshakes];
        var total = Stopwatch.StartNew();
        for (int n = 0; n < handshakes; n++)
        {
            long start = Stopwatch.GetTimestamp();
            new MseKeyExchange(random).SharedSecret(peer);
            samples[n] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        total.Stop();
        Array.Sort(samples);
        Console.WriteLine($"DH per handshake side: median {samples[handshakes / 2]:F3} ms, p99 {samples[handshakes * 99 / 100]:F3} ms, {handshakes / total.Elapsed.TotalSeconds:F0} per second on one core");

        var rc4 = Rc4.ForMse("benchmark key"u8);
        var buffer = new byte[16 * 1024];
        for (int n = 0; n < 4096; n++)
        {
            rc4.Process(buffer);
        }

        const long bytes = 1L << 30;
        var cpu = MachineLoad.ProcessCpu();
        var watch = Stopwatch.StartNew();
        for (long done = 0; done < bytes; done += buffer.Length)
        {
            rc4.Process(buffer);
        }

        double wall = watch.Elapsed.TotalSeconds;
        double cpuSeconds = (MachineLoad.ProcessCpu() - cpu).TotalSeconds;
        double perCpu = bytes / cpuSeconds / 1e6;
        Console.WriteLine($"RC4 over 16 KiB buffers: {bytes / wall / 1e6:F0} MB/s, {perCpu:F0} MB per CPU second (load {MachineLoad.Describe()})");
        double? openSsl = OpenSslRc4();
        Console.WriteLine(openSsl is { } reference
            ? $"OpenSSL's RC4 (openssl speed, 16 KiB, per CPU second): {reference:F0} MB/s; ours per CPU second / OpenSSL's: {perCpu / reference:F2}"
            : "OpenSSL's RC4: unavailable (OpenSSL 3 keeps RC4 in its legacy provider, which this openssl could not load)");
        return 0;
    }

    // The machine's native RC4 for scale: openssl speed divides by user CPU time unless told -elapsed.
    private static double? OpenSslRc4()
    {
        try
        {
            var start = new ProcessStartInfo("openssl", "speed -provider legacy -provider default -seconds 3 -bytes 16384 -evp rc4")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                return null;
            }

            var errors = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit(30_000);
            _ = errors.Result;
            var row = output.Split('\n').LastOrDefault(line => line.StartsWith("RC4", StringComparison.Ordinal));
            var field = row?.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()?.TrimEnd('k');
            return double.TryParse(field, System.Globalization.CultureInfo.InvariantCulture, out double thousands) ? thousands / 1000 : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
