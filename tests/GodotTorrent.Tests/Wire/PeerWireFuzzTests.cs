using System.Buffers;
using GodotTorrent.Wire;

namespace GodotTorrent.Tests.Wire;

public class PeerWireFuzzTests
{
    [Fact]
    public void Mutated_streams_either_read_or_throw_the_protocol_exception()
    {
        var (stream, _) = PeerMessageTests.Conversation();
        var random = new Random(20_000);
        int violations = 0;
        for (int n = 0; n < 20_000; n++)
        {
            // Work on a window so each input stays small and the test fast.
            int start = random.Next(Math.Max(1, stream.Length - 200));
            var input = stream.AsSpan(random.Next(2) == 0 ? 0 : start, Math.Min(300, stream.Length - start)).ToArray();
            int edits = random.Next(1, 6);
            for (int e = 0; e < edits; e++)
            {
                int pos = random.Next(input.Length);
                switch (random.Next(4))
                {
                    case 0:
                        input[pos] = (byte)random.Next(256);
                        break;
                    case 1:
                        input[pos] ^= (byte)(1 << random.Next(8));
                        break;
                    case 2:
                        input[pos] = (byte)random.Next(22);
                        break;
                    default:
                        input = input[..pos];
                        break;
                }

                if (input.Length == 0)
                {
                    break;
                }
            }

            var reader = new PeerMessageReader { FastExtension = random.Next(2) == 0, ExtensionProtocol = random.Next(2) == 0 };
            if (random.Next(2) == 0)
            {
                reader.SetPieceGeometry(10, i => i == 9 ? 1000 : 32 * 1024);
            }

            var buffer = random.Next(2) == 0
                ? new ReadOnlySequence<byte>(input)
                : Chunks.Split(input, Enumerable.Range(0, 3).Select(_ => random.Next(input.Length + 1)).Order().ToArray());
            try
            {
                while (reader.TryRead(ref buffer, out var message))
                {
                    if (message.Type == PeerMessageType.Extended && message.ExtendedId == 0)
                    {
                        ExtensionHandshake.Parse(message.Payload.ToArray());
                    }
                }
            }
            catch (PeerProtocolException)
            {
                violations++;
            }
        }

        Assert.InRange(violations, 1, 19_999);
    }

    [Fact]
    public void Mutated_handshakes_and_extension_payloads_only_throw_the_protocol_exception()
    {
        var random = new Random(9);
        var handshake = new byte[Handshake.Length];
        Handshake.Create(HandshakeReserved.Create(true, true, true), new byte[20], PeerId.Generate()).WriteTo(handshake);
        var extension = new ExtensionHandshake
        {
            Messages = new Dictionary<string, byte> { ["ut_metadata"] = 2, ["ut_pex"] = 1 },
            ClientName = "x",
            ListenPort = 1,
            YourIp = System.Net.IPAddress.Loopback,
            MetadataSize = 5,
        }.ToBytes();
        for (int n = 0; n < 20_000; n++)
        {
            var source = n % 2 == 0 ? handshake : extension;
            var input = source.ToArray();
            for (int e = random.Next(1, 4); e > 0; e--)
            {
                input[random.Next(input.Length)] = (byte)random.Next(256);
            }

            input = input[..random.Next(input.Length + 1)];
            try
            {
                if (n % 2 == 0)
                {
                    _ = Handshake.Parse(input).PeerId.ClientName;
                }
                else
                {
                    ExtensionHandshake.Parse(input).ToBytes();
                }
            }
            catch (PeerProtocolException)
            {
            }
        }
    }
}
