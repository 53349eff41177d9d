using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;

namespace GodotTorrent.Session;

/// <summary>
/// Which peer addresses may connect. Immutable: adding a rule returns a new filter, so rules
/// accumulate (the original API replaced the whole filter on every call). Where rules overlap,
/// the later one wins. IPv4-mapped IPv6 addresses are filtered as IPv4.
/// </summary>
public sealed class IpFilter
{
    private readonly IpFilterRule[] _rules;

    private IpFilter(IpFilterRule[] rules) => _rules = rules;

    /// <summary>A filter that blocks nothing.</summary>
    public static IpFilter Empty { get; } = new([]);

    /// <summary>The rules, oldest first.</summary>
    public IReadOnlyList<IpFilterRule> Rules => _rules;

    /// <summary>A filter with one more rule covering <paramref name="first"/> to <paramref name="last"/>.</summary>
    /// <exception cref="TorrentException">The addresses are of different families or out of order.</exception>
    public IpFilter Add(IPAddress first, IPAddress last, bool blocked)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(last);
        first = Normalize(first);
        last = Normalize(last);
        if (first.AddressFamily != last.AddressFamily || ToNumber(first) > ToNumber(last))
        {
            throw new TorrentException(ErrorCode.InvalidArgument, $"An IP filter range runs from a lower to a higher address of one family, not {first} to {last}.");
        }

        return new IpFilter([.. _rules, new IpFilterRule(first, last, blocked)]);
    }

    /// <summary>
    /// A filter with one more rule given as text: one address (<c>10.1.2.3</c>), a range
    /// (<c>10.0.0.0-10.0.255.255</c>) or a CIDR block (<c>10.0.0.0/8</c>, <c>fd00::/8</c>).
    /// </summary>
    /// <exception cref="TorrentException">The text is not one of those forms.</exception>
    public IpFilter Add(string rule, bool blocked)
    {
        ArgumentNullException.ThrowIfNull(rule);
        rule = rule.Trim();
        int slash = rule.IndexOf('/', StringComparison.Ordinal);
        int dash = rule.IndexOf('-', StringComparison.Ordinal);
        if (slash > 0)
        {
            var network = ParseAddress(rule[..slash]);
            int bits = network.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
            if (!int.TryParse(rule[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) || prefix > bits)
            {
                throw Invalid(rule);
            }

            var number = ToNumber(network);
            var hostMask = prefix == bits ? BigInteger.Zero : (BigInteger.One << (bits - prefix)) - 1;
            var start = number & ~hostMask & ((BigInteger.One << bits) - 1);
            return Add(FromNumber(start, network.AddressFamily), FromNumber(start | hostMask, network.AddressFamily), blocked);
        }

        if (dash > 0)
        {
            return Add(ParseAddress(rule[..dash]), ParseAddress(rule[(dash + 1)..]), blocked);
        }

        var single = ParseAddress(rule);
        return Add(single, single, blocked);
    }

    /// <summary>True when the last rule covering <paramref name="address"/> blocks it.</summary>
    public bool IsBlocked(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (_rules.Length == 0)
        {
            return false;
        }

        address = Normalize(address);
        var number = ToNumber(address);
        for (int i = _rules.Length - 1; i >= 0; i--)
        {
            var rule = _rules[i];
            if (rule.First.AddressFamily == address.AddressFamily && number >= ToNumber(rule.First) && number <= ToNumber(rule.Last))
            {
                return rule.Blocked;
            }
        }

        return false;
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static BigInteger ToNumber(IPAddress address) => new(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    private static IPAddress FromNumber(BigInteger number, AddressFamily family)
    {
        var bytes = new byte[family == AddressFamily.InterNetwork ? 4 : 16];
        var raw = number.ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(bytes, bytes.Length - raw.Length);
        return new IPAddress(bytes);
    }

    private static IPAddress ParseAddress(string text) =>
        IPAddress.TryParse(text.Trim(), out var address) ? Normalize(address) : throw Invalid(text);

    private static TorrentException Invalid(string rule) =>
        new(ErrorCode.InvalidArgument, $"'{rule}' is not an address, an address range or a CIDR block.");
}
