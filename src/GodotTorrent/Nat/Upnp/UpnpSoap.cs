using System.Globalization;
using System.Security;
using System.Text;
using System.Xml;

namespace GodotTorrent.Nat.Upnp;

/// <summary>
/// SOAP 1.1 as UPnP control uses it (UPnP Device Architecture 1.1, section 3.2): the request
/// envelope of an action, and its reply or fault read with the same limits as a description.
/// </summary>
internal static class UpnpSoap
{
    private const int MaxValues = 32;
    private const int MaxValueLength = 256;

    /// <summary>The body of a POST calling <paramref name="action"/> of <paramref name="serviceType"/>.</summary>
    public static string Envelope(string serviceType, string action, IReadOnlyList<(string Name, string Value)> arguments)
    {
        var body = new StringBuilder(512);
        body.Append("<?xml version=\"1.0\"?>\r\n")
            .Append("<s:Envelope xmlns:s=\"http://schemas.xmlsoap.org/soap/envelope/\" s:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\">")
            .Append("<s:Body>")
            .Append(CultureInfo.InvariantCulture, $"<u:{action} xmlns:u=\"{SecurityElement.Escape(serviceType)}\">");
        foreach (var (name, value) in arguments)
        {
            body.Append(CultureInfo.InvariantCulture, $"<{name}>{SecurityElement.Escape(value)}</{name}>");
        }

        body.Append(CultureInfo.InvariantCulture, $"</u:{action}></s:Body></s:Envelope>\r\n");
        return body.ToString();
    }

    /// <summary>
    /// Reads a reply: the leaf elements' text (the out arguments, or a fault's errorCode and
    /// errorDescription). HTTP 500 must carry a fault; anything unreadable is a bad reply.
    /// </summary>
    /// <exception cref="TorrentException"><see cref="ErrorCode.GatewayBadReply"/>.</exception>
    public static UpnpSoapReply ParseReply(int status, byte[] body)
    {
        if (status is not (200 or 500))
        {
            throw Bad($"the gateway answered HTTP {status}");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var reader = XmlReader.Create(new MemoryStream(body), UpnpDescription.SafeSettings(body.Length + 1));
            string? element = null;
            while (reader.Read())
            {
                if (reader.Depth > 16)
                {
                    throw Bad("the SOAP reply is nested too deep");
                }

                if (reader.NodeType == XmlNodeType.Element)
                {
                    element = reader.IsEmptyElement ? null : reader.LocalName;
                    if (reader.IsEmptyElement && values.Count < MaxValues)
                    {
                        values.TryAdd(reader.LocalName, string.Empty);
                    }
                }
                else if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA && element is not null && values.Count < MaxValues)
                {
                    string text = reader.Value.Trim();
                    values.TryAdd(element, text.Length <= MaxValueLength ? text : text[..MaxValueLength]);
                }
                else if (reader.NodeType == XmlNodeType.EndElement)
                {
                    if (element is not null && element == reader.LocalName)
                    {
                        values.TryAdd(element, string.Empty);
                    }

                    element = null;
                }
            }
        }
        catch (XmlException e)
        {
            throw Bad($"the SOAP reply is not acceptable XML: {e.Message}");
        }

        if (status == 200)
        {
            return new UpnpSoapReply(values, 0, string.Empty);
        }

        if (status == 500 && values.TryGetValue("errorCode", out string? code)
            && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out int faultCode) && faultCode > 0)
        {
            string description = values.GetValueOrDefault("errorDescription", string.Empty);
            return new UpnpSoapReply(values, faultCode, new string([.. description.Where(c => !char.IsControl(c)).Take(120)]));
        }

        throw Bad("the gateway answered HTTP 500 without a UPnP error code");
    }

    private static TorrentException Bad(string reason) => new(ErrorCode.GatewayBadReply, reason);
}
