using System.CommandLine;
using System.Text;
using GodotTorrent.Bencoding;

namespace GodotTorrent.Cli.Commands;

/// <summary><c>gdtorrent dht-put --value TEXT</c>: puts TEXT (as a bencoded string) as an immutable BEP 44 item and prints its target.</summary>
internal sealed class DhtPutCommand : Command
{
    private readonly CliConsole _console;
    private readonly NetworkOptions _network = new();
    private readonly Option<string> _value = new("--value") { Description = "The text to store (bencoded as a string; at most about 990 bytes).", Required = true, HelpName = "TEXT" };

    public DhtPutCommand(CliConsole console)
        : base("dht-put", "Put an immutable DHT item (BEP 44) holding --value; prints its target and how many nodes stored it.")
    {
        _console = console;
        Options.Add(_value);
        DhtSession.AddOptions(_network, this);
        SetAction(RunAsync);
    }

    /// <summary>The bencoded string a text stands for, as dht-get prints it back.</summary>
    public static byte[] Encode(string text) => BencodeWriter.Encode(new BString(Encoding.UTF8.GetBytes(text)));

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        DhtSession.RequireDht(_network, parse, "dht-put");
        byte[] value = Encode(parse.GetRequiredValue(_value));
        if (value.Length > Dht.Items.DhtItemFormat.MaxValueLength)
        {
            throw new CliException($"--value is {value.Length} bytes bencoded; a DHT item holds at most {Dht.Items.DhtItemFormat.MaxValueLength}");
        }

        var session = await DhtSession.StartAsync(_network, parse, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            var receipt = await session.DhtPutImmutableAsync(value, cancellationToken).ConfigureAwait(false);
            _console.Out.WriteLine($"target: {receipt.Target}");
            _console.Out.WriteLine($"stored: {receipt.StoredCount}");
            return receipt.StoredCount > 0 ? ExitCodes.Success : ExitCodes.Failure;
        }
    }
}
