using System.Globalization;
using System.Text;

namespace GodotTorrent.Interop.Harness;

/// <summary>
/// nginx (nginx-light) on 127.0.0.1 as a real web seed (BEP 19): its own prefix folder with a
/// generated nginx.conf (<c>daemon off</c>, one worker, <c>sendfile on</c>, temp paths and logs
/// under the prefix), started as a process and killed by PID. The access log has one tab-separated
/// line per request (<see cref="Requests"/>), so tests can count requests and ranges.
/// Besides the folders of <see cref="NginxOptions"/> it always serves three locations:
/// <see cref="UnavailablePrefix"/> (503 with Retry-After), <see cref="LoopPrefix"/> (a redirect to
/// itself, forever) and <see cref="NoRangesPrefix"/> (the root with <c>max_ranges 0</c>: a range
/// request gets 200 and the whole file). <see cref="Stop"/> and <see cref="StartAgainAsync"/> take
/// it down and bring it back on the same port (a server down mid-download).
/// Workers run as nobody: the served folders must be readable by others (the harness makes the
/// folders it is given readable, and checks their parents).
/// </summary>
public sealed class NginxServer : IDisposable
{
    public const string Executable = "nginx";

    /// <summary>Every request under it is answered 503 with Retry-After.</summary>
    public const string UnavailablePrefix = "/unavailable/";

    /// <summary>Every request under it is redirected (302) to itself.</summary>
    public const string LoopPrefix = "/loop/";

    /// <summary>The root again, with ranges ignored (nginx <c>max_ranges 0</c>: 200 and the whole file).</summary>
    public const string NoRangesPrefix = "/no-ranges/";

    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private const string LogFormat = "webseed";

    private readonly string _configPath;
    private ToolProcess? _process;

    private NginxServer(NginxOptions options, string prefix, int port)
    {
        Options = options;
        Prefix = prefix;
        Port = port;
        _configPath = Path.Combine(prefix, "nginx.conf");
    }

    public NginxOptions Options { get; }

    /// <summary>nginx's prefix folder: nginx.conf, the logs, temp paths, pid file.</summary>
    public string Prefix { get; }

    public int Port { get; }

    public bool IsHttps => Options.Certificate is not null;

    /// <summary>http(s)://127.0.0.1:PORT/ (with the trailing slash).</summary>
    public Uri BaseUri => new($"{(IsHttps ? "https" : "http")}://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public string AccessLogPath => Path.Combine(Prefix, "access.log");

    public string ErrorLogPath => Path.Combine(Prefix, "error.log");

    /// <summary>The running nginx master (null while stopped).</summary>
    public ToolProcess? Process => _process;

    /// <summary>
    /// Writes nginx.conf under <paramref name="prefix"/> (created) and starts nginx on a free port;
    /// returns once it listens. A port taken between picking and binding is retried with another.
    /// </summary>
    public static async Task<NginxServer> StartAsync(NginxOptions options, string prefix, CancellationToken cancellationToken = default)
    {
        MakeReadable(options.Root);
        foreach (var folder in options.Aliases.Values)
        {
            MakeReadable(folder);
        }

        Directory.CreateDirectory(Path.Combine(prefix, "temp"));
        for (var attempt = 1; ; attempt++)
        {
            var server = new NginxServer(options, prefix, FreePort.Next());
            await File.WriteAllTextAsync(server._configPath, server.Config(), cancellationToken);
            try
            {
                await server.StartAgainAsync(cancellationToken);
                return server;
            }
            catch (ToolFailedException ex) when (attempt < 3 && ex.Message.Contains("Address already in use", StringComparison.Ordinal))
            {
                server.Dispose();
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }
    }

    /// <summary>The absolute URL of <paramref name="path"/> (relative to the root, no leading '/'; already percent-encoded where needed).</summary>
    public string Url(string path = "") => new Uri(BaseUri, path).AbsoluteUri;

    /// <summary>Starts nginx again with the same configuration and port (after <see cref="Stop"/>); returns once it listens.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("nginx is running");
        }

        var process = ToolProcess.Start(Executable, ["-p", Prefix + "/", "-c", _configPath, "-e", ErrorLogPath]);
        _process = process;
        try
        {
            await ListeningSockets.WaitAsync([Port], StartTimeout, process, cancellationToken);
        }
        catch (ToolFailedException ex)
        {
            Stop();
            throw new ToolFailedException($"{ex.Message}; error.log: {ReadShared(ErrorLogPath).Trim()}", ex);
        }
    }

    /// <summary>Kills nginx (master and workers) by PID: open connections are reset, new ones refused.</summary>
    public void Stop()
    {
        bool wasRunning = _process is not null;
        _process?.Dispose();
        _process = null;

        // The workers die a moment after the master, and until the last one has, the listening
        // socket still accepts: wait (bounded) until nothing listens, so a stopped server refuses.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (wasRunning && DateTime.UtcNow < deadline && ListeningSockets.IsListeningAsync(Port).GetAwaiter().GetResult())
        {
            Thread.Sleep(50);
        }
    }

    /// <summary>The access log so far, one entry per request, in order.</summary>
    public IReadOnlyList<NginxRequest> Requests()
    {
        if (!File.Exists(AccessLogPath))
        {
            return [];
        }

        return ReadShared(AccessLogPath).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
    }

    public void Dispose() => Stop();

    /// <summary>Makes <paramref name="folder"/> and everything in it readable by nginx's workers (nobody), and checks every parent lets them through.</summary>
    private static void MakeReadable(string folder)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the nginx harness runs on Linux");
        }

        const UnixFileMode read = UnixFileMode.OtherRead | UnixFileMode.GroupRead;
        const UnixFileMode through = read | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute;
        var root = new DirectoryInfo(folder);
        if (!root.Exists)
        {
            throw new DirectoryNotFoundException(folder);
        }

        foreach (var dir in root.EnumerateDirectories("*", SearchOption.AllDirectories).Prepend(root))
        {
            dir.UnixFileMode |= through;
        }

        foreach (var file in root.EnumerateFiles("*", SearchOption.AllDirectories))
        {
            file.UnixFileMode |= read;
        }

        for (var parent = root.Parent; parent is not null; parent = parent.Parent)
        {
            if ((parent.UnixFileMode & UnixFileMode.OtherExecute) == 0)
            {
                throw new InvalidOperationException($"{parent.FullName} is not searchable by others: nginx's workers (nobody) cannot reach {folder}");
            }
        }
    }

    private static NginxRequest Parse(string line)
    {
        var f = line.Split('\t');
        if (f.Length != 10)
        {
            throw new FormatException("not an access log line of ours: " + line);
        }

        static string Dash(string value) => value == "-" ? "" : value;
        return new NginxRequest(
            f[0],
            f[1],
            int.Parse(f[2], CultureInfo.InvariantCulture),
            Dash(f[3]),
            long.Parse(f[4], CultureInfo.InvariantCulture),
            Dash(f[5]),
            long.Parse(f[6], CultureInfo.InvariantCulture),
            int.Parse(f[7], CultureInfo.InvariantCulture),
            DateTimeOffset.FromUnixTimeMilliseconds((long)(double.Parse(f[8], CultureInfo.InvariantCulture) * 1000)),
            f[9]);
    }

    private static string ReadShared(string path)
    {
        if (!File.Exists(path))
        {
            return "";
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string Quote(string path) =>
        "\"" + path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Slash(string folder) => Path.TrimEndingDirectorySeparator(folder) + "/";

    private string Config()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        var listen = IsHttps ? $"127.0.0.1:{port} ssl http2" : $"127.0.0.1:{port}";
        var c = new StringBuilder();
        c.AppendLine("daemon off;");
        c.AppendLine("worker_processes 1;");
        c.AppendLine($"pid {Quote(Path.Combine(Prefix, "nginx.pid"))};");
        c.AppendLine($"error_log {Quote(ErrorLogPath)} info;");
        c.AppendLine("events { worker_connections 512; }");
        c.AppendLine("http {");
        c.AppendLine("    default_type application/octet-stream;");
        c.AppendLine("    sendfile on;");
        c.AppendLine("    tcp_nopush on;");
        c.AppendLine("    keepalive_requests 100000;");
        c.AppendLine("    server_tokens off;");
        foreach (var temp in new[] { "client_body", "proxy", "fastcgi", "uwsgi", "scgi" })
        {
            c.AppendLine($"    {temp}_temp_path {Quote(Path.Combine(Prefix, "temp", temp))};");
        }

        c.AppendLine($"    log_format {LogFormat} '$request_method\\t$request_uri\\t$status\\t$http_range\\t$body_bytes_sent\\t$sent_http_content_range\\t$connection\\t$connection_requests\\t$msec\\t$server_protocol';");
        c.AppendLine($"    access_log {Quote(AccessLogPath)} {LogFormat};");
        c.AppendLine("    server {");
        c.AppendLine($"        listen {listen};");
        if (Options.Certificate is { } certificate)
        {
            c.AppendLine($"        ssl_certificate {Quote(certificate.CertificatePath)};");
            c.AppendLine($"        ssl_certificate_key {Quote(certificate.KeyPath)};");
        }

        c.AppendLine($"        root {Quote(Options.Root)};");
        if (Options.LimitRate > 0)
        {
            c.AppendLine($"        limit_rate {Options.LimitRate.ToString(CultureInfo.InvariantCulture)};");
        }

        c.AppendLine($"        location {UnavailablePrefix} {{ add_header Retry-After {Options.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)} always; return 503; }}");
        c.AppendLine($"        location {LoopPrefix} {{ return 302 $request_uri; }}");
        c.AppendLine($"        location {NoRangesPrefix} {{ alias {Quote(Slash(Options.Root))}; max_ranges 0; }}");
        foreach (var (prefix, folder) in Options.Aliases)
        {
            if (!prefix.StartsWith('/') || !prefix.EndsWith('/'))
            {
                throw new ArgumentException($"alias prefix '{prefix}' must start and end with '/'");
            }

            c.AppendLine($"        location {prefix} {{ alias {Quote(Slash(folder))}; }}");
        }

        c.AppendLine("    }");
        c.AppendLine("}");
        return c.ToString();
    }
}
