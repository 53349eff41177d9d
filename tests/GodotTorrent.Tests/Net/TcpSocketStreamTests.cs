using System.Runtime.ExceptionServices;

namespace GodotTorrent.Tests.Net;

public sealed class TcpSocketStreamTests
{
    [ThreadStatic]
    private static List<Exception>? t_thrown;

    [Fact]
    public async Task A_connection_aborted_and_then_disposed_throws_nothing_the_second_time()
    {
        await using var pair = await LoopbackPair.OpenAsync();
        pair.Acceptor.Abort();

        // Counted on this thread only: other tests run beside this one and throw their own.
        t_thrown = [];
        void Note(object? sender, FirstChanceExceptionEventArgs e) => t_thrown?.Add(e.Exception);
        AppDomain.CurrentDomain.FirstChanceException += Note;
        try
        {
            pair.Acceptor.Abort();
            await pair.Acceptor.DisposeAsync();
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Note;
        }

        var thrown = t_thrown;
        t_thrown = null;
        Assert.Empty(thrown);

        // The other end sees the connection gone, as after one abort.
        var buffer = new byte[16];
        int read;
        try
        {
            read = await pair.Dialler.ReceiveAsync(buffer, CancellationToken.None);
        }
        catch (System.Net.Sockets.SocketException)
        {
            read = 0;
        }

        Assert.Equal(0, read);
    }
}
