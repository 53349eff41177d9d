using System.Buffers;
using BenchmarkDotNet.Attributes;
using GodotTorrent.Wire;

namespace GodotTorrent.Bench;

/// <summary>
/// The seeder's and the downloader's per-block wire work: writing a run of piece messages (the
/// upload path, one call per run against one per block) and reading them back (the receive pump).
/// Zero bytes allocated per block is the target.
/// </summary>
[MemoryDiagnoser]
public class WireBenchmarks
{
    private const int Block = 16 * 1024;
    private const int Blocks = 16;
    private readonly ArrayBufferWriter<byte> _output = new(Blocks * (Block + PeerMessageWriter.PieceHeaderLength));
    private readonly byte[] _data = new byte[Blocks * Block];
    private byte[] _stream = [];
    private PeerMessageReader _reader = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(7).NextBytes(_data);
        PeerMessageWriter.WritePieces(_output, 3, 0, Block, _data);
        _stream = _output.WrittenSpan.ToArray();
        _reader = new PeerMessageReader(PeerWireLimits.Default) { FastExtension = true, ExtensionProtocol = true };
        _reader.SetPieceGeometry(8, _ => Blocks * Block);
    }

    /// <summary>16 piece messages written with one call (what <c>UploadServer</c> does per run).</summary>
    [Benchmark]
    public int WriteRunOf16Blocks()
    {
        _output.ResetWrittenCount();
        PeerMessageWriter.WritePieces(_output, 3, 0, Block, _data);
        return _output.WrittenCount;
    }

    /// <summary>The same 16 messages written one call per block (what it did before runs).</summary>
    [Benchmark(Baseline = true)]
    public int Write16BlocksOneByOne()
    {
        _output.ResetWrittenCount();
        for (int i = 0; i < Blocks; i++)
        {
            PeerMessageWriter.WritePiece(_output, 3, i * Block, _data.AsSpan(i * Block, Block));
        }

        return _output.WrittenCount;
    }

    /// <summary>Reading 16 piece messages from one receive buffer (the receive pump's parse, before its copy).</summary>
    [Benchmark]
    public int Read16Blocks()
    {
        var stream = _stream.AsMemory();
        int total = 0;
        while (_reader.TryRead(stream, out var message, out int consumed))
        {
            total += (int)message.Payload.Length;
            stream = stream[consumed..];
        }

        return total;
    }
}
