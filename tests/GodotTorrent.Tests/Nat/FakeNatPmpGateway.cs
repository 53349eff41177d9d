using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace GodotTorrent.Tests.Nat;

/// <summary>
/// A NAT-PMP gateway written for the tests from RFC 6886, on real UDP at 127.0.0.1 (real sockets
/// are the point: the mapper's socket, its retransmissions and the source-address check). It
/// answers as told, or silently, and can send hostile datagrams first, from itself or from a
/// stranger's socket. Its epoch runs with real time from 1,000 s until <see cref="Restart"/>.
/// </summary>
internal sealed class FakeNatPmpGateway : IDisposable
{
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly UdpClient _stranger = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _lock = new();
    private readonly List<FakeNatPmpRequest> _requests = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private double _epochBase = 1000;

    public FakeNatPmpGateway() => _ = ServeAsync();

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    public IPAddress External { get; set; } = IPAddress.Parse("203.0.113.5");

    /// <summary>The lifetime granted to a mapping request (a removal is answered with 0).</summary>
    public uint GrantedLifetime { get; set; } = 7200;

    /// <summary>The external port granted for a suggested one.</summary>
    public Func<int, int> GrantPort { get; set; } = suggested => suggested;

    /// <summary>The result code of mapping replies (external address replies always succeed).</summary>
    public int MapResultCode { get; set; }

    /// <summary>Answers nothing at all.</summary>
    public bool Silent { get; set; }

    /// <summary>Datagrams sent before the answer: each from the gateway's socket, or from a stranger's when the flag is set.</summary>
    public Func<FakeNatPmpRequest, IReadOnlyList<(bool FromStranger, byte[] Datagram)>>? SendFirst { get; set; }

    /// <summary>Sends only the <see cref="SendFirst"/> datagrams, never the real answer.</summary>
    public bool OnlyHostile { get; set; }

    public uint Epoch
    {
        get
        {
            lock (_lock)
            {
                return (uint)(_epochBase + _clock.Elapsed.TotalSeconds);
            }
        }
    }

    public IReadOnlyList<FakeNatPmpRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>The gateway "reboots": its epoch starts again from 0 (RFC 6886 3.6).</summary>
    public void Restart()
    {
        lock (_lock)
        {
            _epochBase = -_clock.Elapsed.TotalSeconds;
        }
    }

    /// <summary>Waits (bounded) until the requests received satisfy <paramref name="condition"/>.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<FakeNatPmpRequest>, bool> condition, string what)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (condition(_requests))
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(bound.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"the fake gateway never saw {what}; it saw: {string.Join(", ", Requests)}");
            }
        }
    }

    /// <summary>A mapping reply as RFC 6886 3.3 shapes it (for hostile variants).</summary>
    public byte[] MapReply(byte opcode, int resultCode, int internalPort, int externalPort, uint lifetime)
    {
        var reply = new byte[16];
        reply[1] = (byte)(128 + opcode);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(2), (ushort)resultCode);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(4), Epoch);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(8), (ushort)internalPort);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(10), (ushort)externalPort);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(12), lifetime);
        return reply;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _stranger.Dispose();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var request = Parse(received.Buffer);
            if (request is not { } r)
            {
                continue;
            }

            lock (_lock)
            {
                _requests.Add(r);
                _changed.TrySetResult();
                _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            if (Silent)
            {
                continue;
            }

            try
            {
                foreach (var (fromStranger, datagram) in SendFirst?.Invoke(r) ?? [])
                {
                    await (fromStranger ? _stranger : _udp).SendAsync(datagram, received.RemoteEndPoint, _stop.Token);
                }

                if (!OnlyHostile)
                {
                    await _udp.SendAsync(Answer(r), received.RemoteEndPoint, _stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }

    private static FakeNatPmpRequest? Parse(byte[] datagram)
    {
        if (datagram.Length == 2 && datagram[0] == 0 && datagram[1] == 0)
        {
            return new FakeNatPmpRequest(0, 0, 0, 0);
        }

        if (datagram.Length == 12 && datagram[0] == 0 && datagram[1] is 1 or 2)
        {
            return new FakeNatPmpRequest(
                datagram[1],
                BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(4)),
                BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(6)),
                BinaryPrimitives.ReadUInt32BigEndian(datagram.AsSpan(8)));
        }

        return null;
    }

    private byte[] Answer(FakeNatPmpRequest request)
    {
        if (request.Opcode == 0)
        {
            var reply = new byte[12];
            reply[1] = 128;
            BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(4), Epoch);
            External.GetAddressBytes().CopyTo(reply, 8);
            return reply;
        }

        bool removal = request.Lifetime == 0;
        return MapReply(
            request.Opcode,
            MapResultCode,
            request.InternalPort,
            removal || MapResultCode != 0 ? 0 : GrantPort(request.SuggestedExternalPort == 0 ? request.InternalPort : request.SuggestedExternalPort),
            removal || MapResultCode != 0 ? 0 : GrantedLifetime);
    }
}
