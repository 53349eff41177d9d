using System.Diagnostics;
using GodotTorrent.Net.Encryption;

namespace GodotTorrent.Bench;

/// <summary>
/// What MSE costs on this machine: the Diffie-Hellman work of one handshake (one side: its key
/// pair and the shared secret), median and 99th percentile, and RC4 throughput over 16 KiB buffers.
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
        const long bytes = 1L << 30;
        var watch = Stopwatch.StartNew();
        for (long done = 0; done < bytes; done += buffer.Length)
        {
            rc4.Process(buffer);
        }

        Console.WriteLine($"RC4: {bytes / watch.Elapsed.TotalSeconds / 1e6:F0} MB/s");
        return 0;
    }
}
