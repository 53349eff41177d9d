using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GodotTorrent.Metainfo;

/// <summary>
/// A parsed magnet link: the info-hashes (v1 <c>urn:btih</c>, v2 <c>urn:btmh</c> or both), a
/// display name, trackers, web seeds, peers, the exact length and a file selection. Immutable.
/// A BEP 46 link (<c>xs=urn:btpk:</c>) names a publisher's public key and salt instead of, or
/// besides, an info-hash: the current info-hash is the one the publisher's DHT item names.
/// </summary>
/// <remarks>
/// Parameter names are case-sensitive; a numeric suffix (<c>xt.1</c>, <c>tr.2</c>) is accepted
/// on any of them. In <c>dn</c> a '+' means a space, as in form encoding and libtorrent; in
/// tracker and web seed URLs it stays a '+', since a URL never contains a raw space. Parameters
/// this class does not understand are kept in <see cref="UnknownParameters"/> and written back
/// by <see cref="ToUri"/>.
/// </remarks>
public sealed class MagnetLink
{
    /// <summary>The longest magnet URI <see cref="Parse"/> accepts, in characters.</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>The most <c>name=value</c> parameters <see cref="Parse"/> accepts.</summary>
    public const int MaxParameters = 1000;

    private const string BtihPrefix = "urn:btih:";
    private const string BtmhPrefix = "urn:btmh:";
    private const string BtpkPrefix = "urn:btpk:";

    // BEP 44's sizes: an Ed25519 public key, and the longest salt a mutable item may have.
    private const int PublicKeyLength = 32;
    private const int MaxSaltLength = 64;

    // Multihash header of a BEP 52 v2 hash: function 0x12 (sha2-256), digest length 0x20.
    private const string Sha256MultihashPrefix = "1220";

    // Kept unescaped in URIs we write: legal in a query and much easier to read in tracker URLs.
    private const string PlainInValues = ":/";

    private readonly IPEndPoint[] _peers;
    private readonly InfoHashes? _infoHashes;

    private MagnetLink(
        InfoHashes? infoHashes,
        string? displayName,
        List<string> trackers,
        List<string> webSeeds,
        List<IPEndPoint> peers,
        List<string> peerHostNames,
        long? exactLength,
        List<FileSelectionRange> selectedFiles,
        List<KeyValuePair<string, string>> unknownParameters,
        byte[]? publicKey = null,
        byte[]? salt = null)
    {
        _infoHashes = infoHashes;
        PublicKey = publicKey ?? ReadOnlyMemory<byte>.Empty;
        Salt = salt ?? ReadOnlyMemory<byte>.Empty;
        DisplayName = string.IsNullOrEmpty(displayName) ? null : displayName;
        Trackers = trackers.AsReadOnly();
        WebSeeds = webSeeds.AsReadOnly();
        _peers = [.. peers];
        PeerHostNames = peerHostNames.AsReadOnly();
        ExactLength = exactLength;
        SelectedFiles = selectedFiles.AsReadOnly();
        UnknownParameters = unknownParameters.AsReadOnly();
    }

    /// <summary>The torrent's info-hashes: v1, v2 or both for a hybrid torrent.</summary>
    /// <exception cref="InvalidOperationException">The link is a BEP 46 link with no <c>xt</c> (<see cref="HasInfoHashes"/> is false): its info-hash comes from the DHT.</exception>
    public InfoHashes InfoHashes => _infoHashes
        ?? throw new InvalidOperationException("This BEP 46 magnet link names no info-hash; the publisher's DHT item gives it.");

    /// <summary>True when the link names an info-hash (<c>xt</c>); false for a BEP 46 link with only <c>xs=urn:btpk:</c>.</summary>
    public bool HasInfoHashes => _infoHashes is not null;

    /// <summary>
    /// BEP 46: the 32-byte Ed25519 public key of the publisher whose DHT item (BEP 44) names the
    /// torrent's current info-hash (<c>xs=urn:btpk:</c>); empty when the link has none.
    /// </summary>
    public ReadOnlyMemory<byte> PublicKey { get; }

    /// <summary>BEP 46: the salt (<c>s</c>, hex in the link) of the publisher's DHT item, at most 64 bytes; empty when none.</summary>
    public ReadOnlyMemory<byte> Salt { get; }

    /// <summary>The suggested name (<c>dn</c>), or null when the link has none.</summary>
    public string? DisplayName { get; }

    /// <summary>Tracker URLs (<c>tr</c>), decoded, in the link's order without duplicates.</summary>
    public IReadOnlyList<string> Trackers { get; }

    /// <summary>Web seed URLs (<c>ws</c>), decoded, in the link's order without duplicates.</summary>
    public IReadOnlyList<string> WebSeeds { get; }

    /// <summary>
    /// Peers given by IP address (<c>x.pe</c>), in the link's order without duplicates. Each call
    /// returns new endpoint objects, because <see cref="IPEndPoint"/> is mutable and this link is not.
    /// </summary>
    public IReadOnlyList<IPEndPoint> Peers => Array.ConvertAll(_peers, CopyEndPoint).AsReadOnly();

    /// <summary>
    /// Peers given by host name (<c>x.pe</c>) as <c>host:port</c>, left for the caller to resolve,
    /// in the link's order without duplicates (host names compared ignoring case).
    /// </summary>
    public IReadOnlyList<string> PeerHostNames { get; }

    /// <summary>The total size of the content in bytes (<c>xl</c>), or null when the link does not say.</summary>
    public long? ExactLength { get; }

    /// <summary>
    /// The files to download (<c>so</c>, BEP 53), sorted with overlapping and adjacent ranges
    /// merged; empty when the link selects no subset (all files are wanted).
    /// </summary>
    public IReadOnlyList<FileSelectionRange> SelectedFiles { get; }

    /// <summary>Parameters this class does not interpret, decoded, in the link's order (for example <c>x.foo</c>, <c>kt</c>, <c>as</c>, <c>xs</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> UnknownParameters { get; }

    /// <summary>Builds a magnet link for <paramref name="hashes"/> with optional name, trackers, web seeds and peers.</summary>
    /// <param name="hashes">The torrent's info-hashes.</param>
    /// <param name="name">The display name; null or empty for none.</param>
    /// <param name="trackers">Tracker URLs; empty strings are skipped and duplicates dropped.</param>
    /// <param name="webSeeds">Web seed URLs; empty strings are skipped and duplicates dropped.</param>
    /// <param name="peers">Peer endpoints (IPv4 or IPv6, port 1-65535); duplicates dropped.</param>
    /// <exception cref="ArgumentException">A collection holds null, or a peer has port 0.</exception>
    public static MagnetLink Create(
        InfoHashes hashes,
        string? name = null,
        IEnumerable<string>? trackers = null,
        IEnumerable<string>? webSeeds = null,
        IEnumerable<IPEndPoint>? peers = null)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        var trackerList = new List<string>();
        var webSeedList = new List<string>();
        var peerList = new List<IPEndPoint>();
        foreach (string url in trackers ?? [])
        {
            AddUrl(trackerList, url ?? throw new ArgumentException("A tracker URL is null.", nameof(trackers)));
        }

        foreach (string url in webSeeds ?? [])
        {
            AddUrl(webSeedList, url ?? throw new ArgumentException("A web seed URL is null.", nameof(webSeeds)));
        }

        foreach (IPEndPoint peer in peers ?? [])
        {
            if (peer is null || peer.Port == 0)
            {
                throw new ArgumentException("A peer is null or has port 0.", nameof(peers));
            }

            if (!peerList.Contains(peer))
            {
                peerList.Add(CopyEndPoint(peer));
            }
        }

        return new MagnetLink(hashes, name, trackerList, webSeedList, peerList, [], null, [], []);
    }

    /// <summary>Builds a BEP 46 magnet link for a publisher's public key and salt, with no info-hash.</summary>
    /// <param name="publicKey">The publisher's 32-byte Ed25519 public key.</param>
    /// <param name="salt">The salt of the publisher's item (at most 64 bytes); empty for none.</param>
    /// <param name="name">The display name; null or empty for none.</param>
    /// <exception cref="ArgumentException">The key is not 32 bytes or the salt is over 64.</exception>
    public static MagnetLink CreateMutable(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> salt = default, string? name = null)
    {
        if (publicKey.Length != PublicKeyLength)
        {
            throw new ArgumentException("A BEP 46 public key is 32 bytes.", nameof(publicKey));
        }

        if (salt.Length > MaxSaltLength)
        {
            throw new ArgumentException("A BEP 44 salt is at most 64 bytes.", nameof(salt));
        }

        return new MagnetLink(null, name, [], [], [], [], null, [], [], publicKey.ToArray(), salt.ToArray());
    }

    /// <summary>Parses a <c>magnet:?</c> URI.</summary>
    /// <param name="uri">The magnet link; surrounding white space is ignored and the scheme may be in any case.</param>
    /// <exception cref="TorrentFormatException">
    /// The text is not a magnet link or is too long or has too many parameters
    /// (<see cref="ErrorCode.InvalidMagnet"/>), names neither an info-hash nor a BEP 46 public key
    /// (<see cref="ErrorCode.MagnetMissingHash"/>), has a malformed or conflicting hash or public key
    /// (<see cref="ErrorCode.MagnetInvalidHash"/>), a malformed peer
    /// (<see cref="ErrorCode.MagnetInvalidPeer"/>) or another malformed value
    /// (<see cref="ErrorCode.MagnetInvalidParameter"/>). <see cref="TorrentFormatException.Offset"/> is
    /// the character offset of the problem when one applies.
    /// </exception>
    [SuppressMessage("Design", "CA1054:URI-like parameters should not be strings", Justification = "System.Uri re-escapes and normalises query text; magnets are parsed from the string as given.")]
    public static MagnetLink Parse(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return new Parser(uri).Run();
    }

    /// <summary>Parses a <c>magnet:?</c> URI, returning false instead of throwing when it is null or malformed.</summary>
    /// <param name="uri">The magnet link.</param>
    /// <param name="link">The parsed link, or null on failure.</param>
    [SuppressMessage("Design", "CA1054:URI-like parameters should not be strings", Justification = "See Parse.")]
    public static bool TryParse(string? uri, [NotNullWhen(true)] out MagnetLink? link)
    {
        link = null;
        if (uri is null)
        {
            return false;
        }

        try
        {
            link = new Parser(uri).Run();
            return true;
        }
        catch (TorrentFormatException)
        {
            return false;
        }
    }

    /// <summary>
    /// Writes the canonical magnet URI: <c>xt</c> (btih, then btmh), <c>xs</c> and <c>s</c> (BEP 46), <c>dn</c>, each <c>tr</c>,
    /// <c>ws</c> and <c>x.pe</c>, <c>xl</c>, <c>so</c>, then the unknown parameters. Values are
    /// percent-encoded except unreserved characters, ':' and '/'. Parsing the result gives back
    /// an equal link.
    /// </summary>
    [SuppressMessage("Design", "CA1055:URI-like return values should not be strings", Justification = "System.Uri would re-escape the query; callers pass this text to users and other clients.")]
    public string ToUri()
    {
        var builder = new StringBuilder("magnet:?");
        bool first = true;
        if (_infoHashes?.V1 is { } v1)
        {
            AppendParameter(builder, ref first, "xt", BtihPrefix + v1.ToHex());
        }

        if (_infoHashes?.V2 is { } v2)
        {
            AppendParameter(builder, ref first, "xt", BtmhPrefix + Sha256MultihashPrefix + v2.ToHex());
        }

        if (!PublicKey.IsEmpty)
        {
            AppendParameter(builder, ref first, "xs", BtpkPrefix + Convert.ToHexString(PublicKey.Span).ToLowerInvariant());
            if (!Salt.IsEmpty)
            {
                AppendParameter(builder, ref first, "s", Convert.ToHexString(Salt.Span).ToLowerInvariant());
            }
        }

        if (DisplayName is not null)
        {
            AppendParameter(builder, ref first, "dn", DisplayName);
        }

        foreach (string tracker in Trackers)
        {
            AppendParameter(builder, ref first, "tr", tracker);
        }

        foreach (string webSeed in WebSeeds)
        {
            AppendParameter(builder, ref first, "ws", webSeed);
        }

        foreach (IPEndPoint peer in _peers)
        {
            AppendParameter(builder, ref first, "x.pe", peer.ToString());
        }

        foreach (string peer in PeerHostNames)
        {
            AppendParameter(builder, ref first, "x.pe", peer);
        }

        if (ExactLength is { } length)
        {
            AppendParameter(builder, ref first, "xl", length.ToString(CultureInfo.InvariantCulture));
        }

        if (SelectedFiles.Count > 0)
        {
            AppendParameter(builder, ref first, "so", string.Join(',', SelectedFiles.Select(FormatRange)));
        }

        foreach (KeyValuePair<string, string> parameter in UnknownParameters)
        {
            AppendParameter(builder, ref first, parameter.Key, parameter.Value);
        }

        return builder.ToString();
    }

    /// <summary>The canonical magnet URI, as <see cref="ToUri"/> writes it.</summary>
    public override string ToString() => ToUri();

    private static void AppendParameter(StringBuilder builder, ref bool first, string name, string value)
    {
        if (!first)
        {
            builder.Append('&');
        }

        first = false;
        PercentEncoding.Append(builder, name, string.Empty);
        builder.Append('=');
        PercentEncoding.Append(builder, value, PlainInValues);
    }

    private static string FormatRange(FileSelectionRange range) => range.First == range.Last
        ? range.First.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{range.First}-{range.Last}");

    private static void AddUrl(List<string> list, string url)
    {
        if (url.Length > 0 && !list.Contains(url, StringComparer.Ordinal))
        {
            list.Add(url);
        }
    }

    private static IPEndPoint CopyEndPoint(IPEndPoint endPoint)
    {
        IPAddress address = endPoint.Address;
        IPAddress copy = address.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPAddress(address.GetAddressBytes(), address.ScopeId)
            : new IPAddress(address.GetAddressBytes());
        return new IPEndPoint(copy, endPoint.Port);
    }

    /// <summary>One parse of one URI: the text, the position of the value being read, and what was found so far.</summary>
    private sealed class Parser(string text)
    {
        private readonly List<string> _trackers = [];
        private readonly List<string> _webSeeds = [];
        private readonly List<IPEndPoint> _peers = [];
        private readonly List<string> _peerHostNames = [];
        private readonly List<FileSelectionRange> _selection = [];
        private readonly List<KeyValuePair<string, string>> _unknown = [];

        // Each 's' as read (BEP 46 salt, hex): interpreted only when the link has a public key.
        private readonly List<(byte[]? Salt, int Offset)> _salts = [];
        private byte[]? _publicKey;
        private InfoHash? _v1;
        private InfoHash? _v2;
        private string? _displayName;
        private long? _exactLength;
        private int _valueOffset;

        public MagnetLink Run()
        {
            if (text.Length > MaxLength)
            {
                throw new TorrentFormatException(ErrorCode.InvalidMagnet, $"A magnet link is at most {MaxLength} characters long.", MaxLength);
            }

            int start = 0, end = text.Length;
            while (start < end && char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            while (end > start && char.IsWhiteSpace(text[end - 1]))
            {
                end--;
            }

            // BEP 9: magnet:?xt=urn:btih:<hash>&dn=<name>&tr=<url>..., every parameter but xt optional.
            const string Scheme = "magnet:?";
            if (end - start < Scheme.Length || !text.AsSpan(start, Scheme.Length).Equals(Scheme, StringComparison.OrdinalIgnoreCase))
            {
                throw new TorrentFormatException(ErrorCode.InvalidMagnet, "The text does not start with 'magnet:?'.", start);
            }

            int count = 0;
            for (int position = start + Scheme.Length; position <= end;)
            {
                int ampersand = text.IndexOf('&', position, end - position);
                int segmentEnd = ampersand < 0 ? end : ampersand;
                if (segmentEnd > position)
                {
                    if (++count > MaxParameters)
                    {
                        throw new TorrentFormatException(ErrorCode.InvalidMagnet, $"A magnet link has at most {MaxParameters} parameters.", position);
                    }

                    ReadParameter(position, segmentEnd);
                }

                position = segmentEnd + 1;
            }

            if (_v1 is null && _v2 is null && _publicKey is null)
            {
                throw new TorrentFormatException(ErrorCode.MagnetMissingHash, "The magnet link has no 'xt=urn:btih:' or 'xt=urn:btmh:' info-hash, nor a BEP 46 'xs=urn:btpk:' public key.");
            }

            byte[]? salt = _publicKey is null ? null : TakeSalt();

            _selection.Sort((a, b) => a.First.CompareTo(b.First));
            var merged = new List<FileSelectionRange>(_selection.Count);
            foreach (FileSelectionRange range in _selection)
            {
                if (merged.Count > 0 && (long)range.First <= (long)merged[^1].Last + 1)
                {
                    merged[^1] = merged[^1] with { Last = Math.Max(merged[^1].Last, range.Last) };
                }
                else
                {
                    merged.Add(range);
                }
            }

            InfoHashes? hashes = _v1 is null && _v2 is null ? null : new InfoHashes(_v1, _v2);
            return new MagnetLink(hashes, _displayName, _trackers, _webSeeds, _peers, _peerHostNames, _exactLength, merged, _unknown, _publicKey, salt);
        }

        // BEP 46: the salt belongs to the public key, so it leaves the unknown parameters only when there is one.
        private byte[] TakeSalt()
        {
            byte[]? salt = null;
            foreach ((byte[]? candidate, int offset) in _salts)
            {
                if (candidate is null)
                {
                    throw new TorrentFormatException(ErrorCode.MagnetInvalidParameter, $"A BEP 46 salt 's' is hex, at most {MaxSaltLength} bytes.", offset);
                }

                if (salt is not null && !salt.AsSpan().SequenceEqual(candidate))
                {
                    throw new TorrentFormatException(ErrorCode.MagnetInvalidParameter, "The magnet link gives two different salts.", offset);
                }

                salt = candidate;
            }

            _unknown.RemoveAll(p => StripIndexSuffix(p.Key) == "s");
            return salt ?? [];
        }

        private void ReadParameter(int start, int end)
        {
            int equals = text.IndexOf('=', start, end - start);
            int nameEnd = equals < 0 ? end : equals;
            string name = Decode(start, nameEnd, plusIsSpace: false);
            _valueOffset = equals < 0 ? end : equals + 1;
            string baseName = StripIndexSuffix(name);
            string value = Decode(_valueOffset, end, plusIsSpace: baseName == "dn");
            switch (baseName)
            {
                case "xt":
                    ReadExactTopic(name, value);
                    break;
                case "dn":
                    // The first name wins: later ones are usually a client's appended duplicates.
                    _displayName ??= value.Length > 0 ? value : null;
                    break;
                case "tr":
                    AddUrl(_trackers, value);
                    break;
                case "ws":
                    AddUrl(_webSeeds, value);
                    break;
                case "x.pe":
                    ReadPeer(value);
                    break;
                case "xl":
                    ReadExactLength(value);
                    break;
                case "so":
                    ReadSelection(value);
                    break;
                case "xs" when value.StartsWith(BtpkPrefix, StringComparison.OrdinalIgnoreCase):
                    ReadPublicKey(value[BtpkPrefix.Length..]);
                    break;
                case "s":
                    _salts.Add((value.Length % 2 == 0 && value.Length <= 2 * MaxSaltLength && IsHex(value) ? Convert.FromHexString(value) : null, _valueOffset));
                    _unknown.Add(new KeyValuePair<string, string>(name, value));
                    break;
                default:
                    _unknown.Add(new KeyValuePair<string, string>(name, value));
                    break;
            }
        }

        private string Decode(int start, int end, bool plusIsSpace)
        {
            if (!PercentEncoding.TryDecode(text.AsSpan(start, end - start), plusIsSpace, out string value, out int errorIndex))
            {
                throw new TorrentFormatException(ErrorCode.MagnetInvalidParameter, "A parameter has a malformed %-escape or is not valid UTF-8.", start + errorIndex);
            }

            return value;
        }

        private static string StripIndexSuffix(string name)
        {
            // "tr.1", "xt.2": the number only keeps repeated names apart and carries no meaning.
            int dot = name.LastIndexOf('.');
            if (dot <= 0 || dot == name.Length - 1)
            {
                return name;
            }

            for (int i = dot + 1; i < name.Length; i++)
            {
                if (!char.IsAsciiDigit(name[i]))
                {
                    return name;
                }
            }

            return name[..dot];
        }

        private void ReadExactTopic(string name, string value)
        {
            if (value.StartsWith(BtihPrefix, StringComparison.OrdinalIgnoreCase))
            {
                string hash = value[BtihPrefix.Length..];
                InfoHash parsed;
                if (hash.Length == InfoHash.V1Length * 2 && IsHex(hash))
                {
                    parsed = InfoHash.FromHex(hash);
                }
                else if (hash.Length == 32)
                {
                    try
                    {
                        parsed = InfoHash.FromBase32(hash);
                    }
                    catch (FormatException e)
                    {
                        throw InvalidHash("A 'urn:btih:' hash in base32 has a character outside A-Z and 2-7.", e);
                    }
                }
                else
                {
                    throw InvalidHash("A 'urn:btih:' hash is 40 hex digits or 32 base32 characters.");
                }

                _v1 = Merge(_v1, parsed);
            }
            else if (value.StartsWith(BtmhPrefix, StringComparison.OrdinalIgnoreCase))
            {
                string multihash = value[BtmhPrefix.Length..];
                if (multihash.Length != Sha256MultihashPrefix.Length + (InfoHash.V2Length * 2)
                    || !multihash.StartsWith(Sha256MultihashPrefix, StringComparison.Ordinal)
                    || !IsHex(multihash))
                {
                    throw InvalidHash("A 'urn:btmh:' hash is '1220' (SHA-256 multihash) followed by 64 hex digits.");
                }

                _v2 = Merge(_v2, InfoHash.FromHex(multihash[Sha256MultihashPrefix.Length..]));
            }
            else if (value.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
            {
                // Multi-network magnets also name ed2k, sha1 or tiger hashes; not ours, but not wrong.
                _unknown.Add(new KeyValuePair<string, string>(name, value));
            }
            else
            {
                throw InvalidHash("An 'xt' value is not a 'urn:' name.");
            }
        }

        private void ReadPublicKey(string hex)
        {
            if (hex.Length != PublicKeyLength * 2 || !IsHex(hex))
            {
                throw InvalidHash("A 'urn:btpk:' public key is 64 hex digits.");
            }

            byte[] key = Convert.FromHexString(hex);
            if (_publicKey is not null && !_publicKey.AsSpan().SequenceEqual(key))
            {
                throw InvalidHash("The magnet link names two different public keys.");
            }

            _publicKey = key;
        }

        private InfoHash Merge(InfoHash? existing, InfoHash parsed)
        {
            if (existing is not null && existing != parsed)
            {
                throw InvalidHash("The magnet link names two different info-hashes of the same version.");
            }

            return parsed;
        }

        private TorrentFormatException InvalidHash(string message, Exception? inner = null) =>
            new(ErrorCode.MagnetInvalidHash, message, _valueOffset, inner);

        private TorrentFormatException InvalidParameter(string message) =>
            new(ErrorCode.MagnetInvalidParameter, message, _valueOffset);

        private TorrentFormatException InvalidPeer(string message) =>
            new(ErrorCode.MagnetInvalidPeer, message, _valueOffset);

        private void ReadPeer(string value)
        {
            if (value.Length == 0)
            {
                return;
            }

            string host;
            string portText;
            if (value[0] == '[')
            {
                int close = value.IndexOf(']', StringComparison.Ordinal);
                if (close < 0 || close + 1 >= value.Length || value[close + 1] != ':')
                {
                    throw InvalidPeer("An IPv6 peer is written '[address]:port'.");
                }

                host = value[1..close];
                portText = value[(close + 2)..];
                if (!IPAddress.TryParse(host, out IPAddress? v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
                {
                    throw InvalidPeer("A bracketed peer address is not an IPv6 address.");
                }

                AddPeer(new IPEndPoint(v6, ParsePort(portText)));
                return;
            }

            int colon = value.LastIndexOf(':');
            if (colon <= 0)
            {
                throw InvalidPeer("A peer is written 'host:port'.");
            }

            host = value[..colon];
            int port = ParsePort(value[(colon + 1)..]);
            if (host.Contains(':', StringComparison.Ordinal))
            {
                throw InvalidPeer("An IPv6 peer address must be in brackets: '[address]:port'.");
            }

            if (host.All(c => char.IsAsciiDigit(c) || c == '.'))
            {
                // Only dotted quads: IPAddress.TryParse would also take "127.1" or "2130706433".
                if (!IsDottedQuad(host) || !IPAddress.TryParse(host, out IPAddress? v4))
                {
                    throw InvalidPeer("A numeric peer address is not a dotted IPv4 address.");
                }

                AddPeer(new IPEndPoint(v4, port));
                return;
            }

            if (!IsHostName(host))
            {
                throw InvalidPeer("A peer host is neither an IP address nor a valid host name.");
            }

            string entry = string.Create(CultureInfo.InvariantCulture, $"{host}:{port}");
            if (!_peerHostNames.Contains(entry, StringComparer.OrdinalIgnoreCase))
            {
                _peerHostNames.Add(entry);
            }
        }

        private void AddPeer(IPEndPoint peer)
        {
            if (!_peers.Contains(peer))
            {
                _peers.Add(peer);
            }
        }

        private int ParsePort(string digits)
        {
            if (digits.Length is 0 or > 5 || !digits.All(char.IsAsciiDigit))
            {
                throw InvalidPeer("A peer port is a decimal number from 1 to 65535.");
            }

            int port = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            return port is >= 1 and <= IPEndPoint.MaxPort
                ? port
                : throw InvalidPeer("A peer port is a decimal number from 1 to 65535.");
        }

        private static bool IsDottedQuad(string host)
        {
            string[] parts = host.Split('.');
            return parts.Length == 4 && parts.All(p => p.Length is >= 1 and <= 3 && int.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture) <= 255);
        }

        private static bool IsHostName(string host)
        {
            if (host.Length > 253)
            {
                return false;
            }

            foreach (string label in host.Split('.'))
            {
                if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                    || !label.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                {
                    return false;
                }
            }

            return true;
        }

        private void ReadExactLength(string value)
        {
            if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long length))
            {
                throw InvalidParameter("'xl' is a non-negative decimal byte count.");
            }

            if (_exactLength is { } earlier && earlier != length)
            {
                throw InvalidParameter("The magnet link gives two different 'xl' lengths.");
            }

            _exactLength = length;
        }

        private void ReadSelection(string value)
        {
            foreach (string item in value.Split(','))
            {
                int dash = item.IndexOf('-', StringComparison.Ordinal);
                int first = ParseFileIndex(dash < 0 ? item : item[..dash]);
                int last = dash < 0 ? first : ParseFileIndex(item[(dash + 1)..]);
                if (last < first)
                {
                    throw InvalidParameter("An 'so' range ends before it starts.");
                }

                _selection.Add(new FileSelectionRange(first, last));
            }
        }

        private int ParseFileIndex(string digits) =>
            int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
                ? index
                : throw InvalidParameter("'so' is a list of file indices and ranges such as '0,2,4-6'.");

        private static bool IsHex(string digits) => digits.All(char.IsAsciiHexDigit);
    }
}
