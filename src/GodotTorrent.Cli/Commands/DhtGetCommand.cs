using System.CommandLine;
using System.Text;
using System.Text.Json;
using GodotTorrent.Dht.Items;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>gdtorrent dht-get --key &lt;public key hex&gt; [--salt S]</c> or <c>--target &lt;hex&gt;</c>:
/// reads a BEP 44 item and prints one JSON object (found, seq, the value as text and hex), for scripts.
/// </summary>
internal sealed class DhtGetCommand : Command
{
    private readonly CliConsole _console;
    private readonly NetworkOptions _network = new();
    private readonly Option<string?> _key = new("--key") { Description = "A mutable item's public key, 64 hex digits.", HelpName = "HEX" };
    private readonly Option<string?> _target = new("--target") { Description = "An immutable item's target, 40 hex digits.", HelpName = "HEX" };
    private readonly Option<string?> _salt = new("--salt", "-s") { Description = "The mutable item's salt (text, as keygen and publish take it).", HelpName = "TEXT" };

    public DhtGetCommand(CliConsole console)
        : base("dht-get", "Read a DHT item (BEP 44): mutable by --key [--salt], immutable by --target; prints JSON.")
    {
        _console = console;
        Options.Add(_key);
        Options.Add(_target);
        Options.Add(_salt);
        DhtSession.AddOptions(_network, this);
        Validators.Add(result =>
        {
            string? key = result.GetValue(_key);
            string? target = result.GetValue(_target);
            if ((key is null) == (target is null))
            {
                result.AddError("give either --key (a mutable item) or --target (an immutable item)");
            }
            else if (key is not null && !IsHex(key, 64))
            {
                result.AddError("--key is 64 hex digits");
            }
            else if (target is not null && !IsHex(target, 40))
            {
                result.AddError("--target is 40 hex digits");
            }
            else if (target is not null && result.GetValue(_salt) is not null)
            {
                result.AddError("--salt goes with --key");
            }
            else if (Encoding.UTF8.GetByteCount(result.GetValue(_salt) ?? "") > DhtItemFormat.MaxSaltLength)
            {
                result.AddError($"--salt is at most {DhtItemFormat.MaxSaltLength} bytes of UTF-8 (BEP 44).");
            }
        });
        SetAction(RunAsync);
    }

    internal static bool IsHex(string text, int length) => text.Length == length && text.All(char.IsAsciiHexDigit);

    private async Task<int> RunAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        DhtSession.RequireDht(_network, parse, "dht-get");
        var session = await DhtSession.StartAsync(_network, parse, cancellationToken).ConfigureAwait(false);
        await using (session.ConfigureAwait(false))
        {
            byte[]? value;
            long? seq = null;
            if (parse.GetValue(_target) is { } target)
            {
                value = await session.DhtGetImmutableAsync(target, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var item = await session.DhtGetMutableAsync(Convert.FromHexString(parse.GetValue(_key)!), KeygenCommand.SaltBytes(parse.GetValue(_salt)), cancellationToken).ConfigureAwait(false);
                value = item?.Value.ToArray();
                seq = item?.Sequence;
            }

            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteBoolean("found", value is not null);
                if (seq is { } s)
                {
                    json.WriteNumber("seq", s);
                }

                if (value is not null)
                {
                    json.WriteString("value", Encoding.UTF8.GetString(value));
                    json.WriteString("value_hex", Convert.ToHexString(value).ToLowerInvariant());
                }

                json.WriteEndObject();
            }

            _console.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
            return value is null ? ExitCodes.Failure : ExitCodes.Success;
        }
    }
}
