using System.Xml;

namespace GodotTorrent.Nat.Upnp;

/// <summary>
/// Reads an IGD's device description (UPnP Device Architecture 1.1, section 2.3) for its WAN
/// connection service, at any depth of embedded devices. The XML comes from a stranger: no DTD,
/// no external resolution, a bounded size and depth; anything else is a bad reply.
/// </summary>
internal static class UpnpDescription
{
    /// <summary>The services that can map ports, best first (IGD 2's WANIPConnection:2 also speaks :1's actions).</summary>
    public static readonly IReadOnlyList<string> ServiceTypes =
    [
        "urn:schemas-upnp-org:service:WANIPConnection:2",
        "urn:schemas-upnp-org:service:WANIPConnection:1",
        "urn:schemas-upnp-org:service:WANPPPConnection:1",
    ];

    private const int MaxDepth = 32;
    private const int MaxServices = 64;

    /// <summary>The XmlReader settings for anything a gateway sends: no DTD, nothing resolved, at most <paramref name="maxCharacters"/>.</summary>
    public static XmlReaderSettings SafeSettings(int maxCharacters) => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = maxCharacters,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = true,
    };

    /// <summary>The best port-mapping service of the description fetched from <paramref name="location"/>.</summary>
    /// <exception cref="TorrentException"><see cref="ErrorCode.GatewayBadReply"/>: malformed, hostile, or no such service.</exception>
    public static UpnpService Parse(byte[] xml, Uri location)
    {
        string? urlBase = null;
        var services = new List<(string Type, string Control)>();
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(xml), SafeSettings(xml.Length + 1));
            bool more = reader.Read();
            while (more)
            {
                if (reader.Depth > MaxDepth)
                {
                    throw Bad($"the device description is nested deeper than {MaxDepth} elements");
                }

                if (reader.NodeType == XmlNodeType.Element && reader.Depth == 1 && reader.LocalName == "URLBase")
                {
                    urlBase = reader.ReadElementContentAsString().Trim();
                    more = !reader.EOF;
                    continue;
                }

                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "service" && services.Count < MaxServices)
                {
                    var values = ReadChildren(reader);
                    if (values.TryGetValue("serviceType", out string? type) && values.TryGetValue("controlURL", out string? control))
                    {
                        services.Add((type.Trim(), control.Trim()));
                    }
                }

                more = reader.Read();
            }
        }
        catch (XmlException e)
        {
            throw Bad($"the device description is not acceptable XML: {e.Message}");
        }

        foreach (string wanted in ServiceTypes)
        {
            foreach (var (type, control) in services)
            {
                if (type == wanted)
                {
                    return new UpnpService(type, ControlUrl(location, urlBase, control));
                }
            }
        }

        throw Bad("the device description has no WANIPConnection or WANPPPConnection service");
    }

    // controlURL is relative to URLBase when there is one, else to the description's own URL; it must stay on the gateway.
    private static Uri ControlUrl(Uri location, string? urlBase, string control)
    {
        var baseUri = location;
        if (!string.IsNullOrEmpty(urlBase))
        {
            if (!Uri.TryCreate(urlBase, UriKind.Absolute, out var given))
            {
                throw Bad("the device description's URLBase is not a URL");
            }

            baseUri = given;
        }

        if (!Uri.TryCreate(baseUri, control, out var url) || url.Scheme != Uri.UriSchemeHttp || url.Host != location.Host)
        {
            throw Bad($"the control URL is not an http URL on the gateway {location.Host}");
        }

        return url;
    }

    // The simple child elements of the element the reader is on; leaves the reader on its end.
    private static Dictionary<string, string> ReadChildren(XmlReader reader)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (reader.IsEmptyElement)
        {
            return values;
        }

        int depth = reader.Depth;
        bool more = reader.Read();
        while (more && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.Depth > MaxDepth)
            {
                throw Bad($"the device description is nested deeper than {MaxDepth} elements");
            }

            if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1 && values.Count < 16)
            {
                string name = reader.LocalName;
                string value = reader.ReadElementContentAsString();
                values.TryAdd(name, value);
                more = !reader.EOF;
            }
            else
            {
                more = reader.Read();
            }
        }

        return values;
    }

    private static TorrentException Bad(string reason) => new(ErrorCode.GatewayBadReply, reason);
}
