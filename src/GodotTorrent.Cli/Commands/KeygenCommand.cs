using System.CommandLine;
using System.Text;
using GodotTorrent.Dht.Items;
using GodotTorrent.Metainfo;

namespace GodotTorrent.Cli.Commands;

/// <summary>
/// <c>gdtorrent keygen &lt;file&gt; [--salt S] [--force]</c>: a new Ed25519 key pair for publishing
/// torrents under one name (BEP 44 mutable items, BEP 46 magnet links), written as a key file
/// (<see cref="DhtKeyPair"/>), with the public key and the magnet link that follows it.
/// </summary>
internal sealed class KeygenCommand : Command
{
    private readonly CliConsole _console;

    private readonly Argument<string> _file = new("file") { Description = "Where to write the key file (keep it secret: it signs your updates)." };

    private readonly Option<string?> _salt = new("--salt", "-s")
    {
        Description = "A name for one channel under this key (text, up to 64 bytes of UTF-8); the magnet link printed follows that channel.",
        HelpName = "TEXT",
    };

    private readonly Option<bool> _force = new("--force", "-f") { Description = "Replace the key file if it exists (the old key is lost)." };

    public KeygenCommand(CliConsole console)
        : base("keygen", "Create a key pair for publishing mutable torrents (BEP 46) and print its magnet link.")
    {
        _console = console;
        Arguments.Add(_file);
        Options.Add(_salt);
        Options.Add(_force);
        Validators.Add(result =>
        {
            if (result.GetValue(_salt) is { } salt && Encoding.UTF8.GetByteCount(salt) > DhtItemFormat.MaxSaltLength)
            {
                result.AddError($"--salt is at most {DhtItemFormat.MaxSaltLength} bytes of UTF-8 (BEP 44).");
            }
        });
        SetAction(Run);
    }

    /// <summary>The salt bytes a <c>--salt</c> text stands for, here and wherever a key file is used with one.</summary>
    public static byte[] SaltBytes(string? salt) => salt is null ? [] : Encoding.UTF8.GetBytes(salt);

    private int Run(ParseResult parse)
    {
        string path = parse.GetRequiredValue(_file);
        bool force = parse.GetValue(_force);
        if (Directory.Exists(path))
        {
            throw new CliException($"{path}: is a folder");
        }

        if (File.Exists(path) && !force)
        {
            throw new CliException($"{path}: already exists (add --force to replace it, losing the key it holds)");
        }

        var keys = DhtKeyPair.Generate();
        keys.Save(path, overwrite: force);
        var magnet = MagnetLink.CreateMutable(keys.PublicKey, SaltBytes(parse.GetValue(_salt)));
        _console.Out.WriteLine($"public key: {keys.PublicKeyHex}");
        _console.Out.WriteLine($"magnet: {magnet.ToUri()}");
        return ExitCodes.Success;
    }
}
