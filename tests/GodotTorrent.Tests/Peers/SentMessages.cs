using System.Buffers;
using GodotTorrent.Peers.Protocol;
using GodotTorrent.Tests.Net.Encryption;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Peers;

/// <summary>A message a <see cref="PeerConnection"/> sent, read back off its wire.</summary>
internal sealed record SentMessage(PeerMessageType Type, int Index, int Begin, byte[] Payload)
{
    /// <summary>
    /// Runs <paramref name="peer"/>'s send pump until it has sent what is queued (the wire completes
    /// sends at once), reads every message back, closes the peer and waits for the pump, bounded.
    /// </summary>
    public static List<SentMessage> Drain(PeerConnection peer, MemoryDuplex.End wire, Action<PeerMessageReader>? configure = null)
    {
        var pump = peer.SendLoopAsync();
        var reader = new PeerMessageReader(PeerWireLimits.Default) { FastExtension = true, ExtensionProtocol = true };
        configure?.Invoke(reader);
        var stream = wire.Sent.AsMemory();
        var sent = new List<SentMessage>();
        while (reader.TryRead(stream, out var message, out int consumed))
        {
            sent.Add(new SentMessage(message.Type, message.Index, message.Begin, message.Payload.ToArray()));
            stream = stream[consumed..];
        }

        Assert.True(stream.IsEmpty);
        peer.Close();
        // Close wakes the pump, which may finish on a pool thread rather than inline: wait for it, bounded.
        Assert.True(pump.Wait(TimeSpan.FromSeconds(10)));
        return sent;
    }
}
