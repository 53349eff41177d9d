using System.Buffers;

namespace GodotTorrent.Tests.Wire;

/// <summary>Builds multi-segment sequences, as a pipe hands over bytes that arrived in pieces.</summary>
internal sealed class Chunks : ReadOnlySequenceSegment<byte>
{
    private Chunks(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
    }

    /// <summary>A sequence of <paramref name="data"/> cut at each of <paramref name="cuts"/> (ascending offsets).</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var pieces = new List<ReadOnlyMemory<byte>>();
        int start = 0;
        foreach (int cut in cuts)
        {
            pieces.Add(data.AsMemory(start, cut - start));
            start = cut;
        }

        pieces.Add(data.AsMemory(start));
        return Join(pieces);
    }

    /// <summary>One sequence of the given pieces in order.</summary>
    public static ReadOnlySequence<byte> Join(IReadOnlyList<ReadOnlyMemory<byte>> pieces)
    {
        if (pieces.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Chunks(pieces[0], 0);
        var last = first;
        for (int i = 1; i < pieces.Count; i++)
        {
            var next = new Chunks(pieces[i], last.RunningIndex + last.Memory.Length);
            last.Next = next;
            last = next;
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }
}
