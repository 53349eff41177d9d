using BenchmarkDotNet.Attributes;
using GodotTorrent.Net.Encryption;

namespace GodotTorrent.Bench;

/// <summary>
/// RC4 as an MSE connection runs it: one 16 KiB block (a piece message's payload) and one 256 KiB
/// send buffer, in place. MB/s is the size over the mean; <c>mse-cost</c> prints it per CPU second
/// beside OpenSSL's RC4.
/// </summary>
[MemoryDiagnoser]
public class Rc4Benchmarks
{
    private readonly Rc4 _rc4 = Rc4.ForMse("benchmark key"u8);
    private readonly byte[] _block = new byte[16 * 1024];
    private readonly byte[] _sendBuffer = new byte[256 * 1024];

    [GlobalSetup]
    public void Setup()
    {
        new Random(12).NextBytes(_block);
        new Random(13).NextBytes(_sendBuffer);
    }

    [Benchmark]
    public void Block16KiB() => _rc4.Process(_block);

    [Benchmark]
    public void SendBuffer256KiB() => _rc4.Process(_sendBuffer);
}
