using System.CommandLine;
using System.Globalization;
using System.Text;
using GodotTorrent.Dht.Items;
using GodotTorrent.Metainfo;
using GodotTorrent.Session;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>gdtorrent publish &lt;file.torrent&gt; --key &lt;keyfile&gt; [--salt S] [--once]</c>: BEP 46,
/// puts the torrent's info-hash under the key with the next sequence number, prints the channel's
/// magnet and the sequence number, then keeps re-putting (the session does, every 30 minutes)
/// until --timeout or Ctrl-C, unless --once.
/// </summary>
internal sealed class PublishCommand : Command
{
    private readonly CliConsole _console;
    private readonly NetworkOptions _network = new();
    private readonly Argument<string> _input = new("torrent") { Description = "The .torrent file of the version to publish." };
    private readonly Option<string> _key = new("--key", "-k") { Description = "The key file (gdtorrent keygen).", Required = true, HelpName = "FILE" };
    private readonly Option<string?> _salt = new("--salt", "-s") { Description = "The channel under this key (text, up to 64 bytes of UTF-8).", HelpName = "TEXT" };
    private readonly Option<bool> _once = new("--once") { Description = "Put once and exit (nodes forget the item after 2 hours unless it is put again)." };

    public PublishCommand(CliConsole console)
        : base("publish", "Publish a torrent on an update channel (BEP 46) and keep it alive until --timeout or Ctrl-C.")
    {
        _console = console;
        Arguments.Add(_input);
        Options.Add(_key);
        Options.Add(_salt);
        Options.Add(_once);
        DhtSession.AddOptions(_network, this);
        Validators.Add(result =>
        {
            if (Encoding.UTF8.GetByteCount(result.GetValue(_salt) ?? "") > DhtItemFormat.MaxSaltLength)
            {
                result.AddError($"--salt is at most {DhtItemFormat.MaxSaltLength} bytes of UTF-8 (BEP 44).");
            }
        });
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        DhtSession.RequireDht(_network, parse, "publish");
        TorrentInfo torrent = await TorrentInput.LoadTorrentAsync(parse.GetRequiredValue(_input), cancellationToken).ConfigureAwait(false);
        // BEP 46 followers take the channel's 20-byte ih for a v1 info-hash.
        var infoHash = torrent.InfoHashes.V1
            ?? throw new CliException($"{parse.GetRequiredValue(_input)}: a v2-only torrent cannot go on an update channel (BEP 46 names torrents by v1 info-hash); create it as a hybrid");
        string keyPath = parse.GetRequiredValue(_key);
        DhtSigningKey key;
        try
        {
            key = DhtSigningKey.Load(keyPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TorrentFormatException)
        {
            throw new CliException($"{keyPath}: {ex.Message}", ex);
        }

        byte[] salt = KeygenCommand.SaltBytes(parse.GetValue(_salt));
        int timeout = parse.GetValue(_network.Timeout);
        var session = await DhtSession.StartAsync(_network, parse, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var receipt = await session.PublishAsync(infoHash, key, salt, cancellationToken).ConfigureAwait(false);
            var magnet = MagnetLink.CreateMutable(key.PublicKey.Span, salt, torrent.Name);
            _console.Out.WriteLine($"magnet: {magnet.ToUri()}");
            _console.Out.WriteLine($"seq: {receipt.Sequence!.Value.ToString(CultureInfo.InvariantCulture)}");
            _console.Out.WriteLine($"info-hash: {infoHash.ToHex()}");
            _console.Out.WriteLine($"stored: {receipt.StoredCount.ToString(CultureInfo.InvariantCulture)}");
            _console.Out.Flush();
            if (parse.GetValue(_once))
            {
                return receipt.StoredCount > 0 ? ExitCodes.Success : ExitCodes.Failure;
            }

            _console.Error.WriteLine(timeout > 0 ? $"Re-putting every 30 minutes for {timeout.ToString(CultureInfo.InvariantCulture)} s (Ctrl-C stops)" : "Re-putting every 30 minutes until Ctrl-C");
            try
            {
                await Task.Delay(timeout > 0 ? TimeSpan.FromSeconds(timeout) : Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: the normal end.
            }
        }

        return ExitCodes.Success;
    }
}
