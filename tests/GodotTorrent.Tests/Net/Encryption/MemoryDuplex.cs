using System.Net;
using System.Threading.Channels;
using GodotTorrent.Net;

namespace GodotTorrent.Tests.Net.Encryption;

/// <summary>Two connected in-memory ends; each end records the raw bytes it sent (what a wire tap would see).</summary>
internal sealed class MemoryDuplex
{
    public MemoryDuplex()
    {
        var toAcceptor = Channel.CreateUnbounded<byte[]>();
        var toDialler = Channel.CreateUnbounded<byte[]>();
        Dialler = new End(toDialler, toAcceptor, 1);
        Acceptor = new End(toAcceptor, toDialler, 2);
    }

    public End Dialler { get; }

    public End Acceptor { get; }

    internal sealed class End(Channel<byte[]> incoming, Channel<byte[]> outgoing, int port) : IPeerConnectionStream
    {
        public GodotTorrent.Session.PeerTransport Transport => GodotTorrent.Session.PeerTransport.Tcp;

        private readonly MemoryStream _sent = new();
        private byte[] _current = [];
        private int _offset;

        public IPEndPoint RemoteEndPoint { get; } = new(IPAddress.Loopback, 3 - port);

        public IPEndPoint LocalEndPoint { get; } = new(IPAddress.Loopback, port);

        public byte[] Sent
        {
            get
            {
                lock (_sent)
                {
                    return _sent.ToArray();
                }
            }
        }

        public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
        {
            while (_offset == _current.Length)
            {
                if (!await incoming.Reader.WaitToReadAsync(cancellationToken))
                {
                    return 0;
                }

                if (incoming.Reader.TryRead(out var next))
                {
                    (_current, _offset) = (next, 0);
                }
            }

            int count = Math.Min(buffer.Length, _current.Length - _offset);
            _current.AsMemory(_offset, count).CopyTo(buffer);
            _offset += count;
            return count;
        }

        public ValueTask SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            var copy = data.ToArray();
            lock (_sent)
            {
                _sent.Write(copy);
            }

            return outgoing.Writer.TryWrite(copy) ? ValueTask.CompletedTask : ValueTask.FromException(new IOException("The connection is closed."));
        }

        public void Abort()
        {
            outgoing.Writer.TryComplete();
            incoming.Writer.TryComplete();
        }

        public ValueTask DisposeAsync()
        {
            Abort();
            return ValueTask.CompletedTask;
        }
    }
}
