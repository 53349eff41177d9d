using System.Net;
using System.Text;
using GodotTorrent.Nat.Upnp;

namespace GodotTorrent.Tests.Nat;

/// <summary>What a gateway sends, read with limits: SSDP replies, device descriptions, SOAP replies and faults.</summary>
public class UpnpParsingTests
{
    private static readonly IPAddress Gateway = IPAddress.Parse("192.168.1.1");
    private static readonly Uri Location = new("http://192.168.1.1:5000/rootDesc.xml");

    private static SsdpResponse? Ssdp(string text, out string? error) => SsdpResponse.Parse(Encoding.ASCII.GetBytes(text), Gateway, out error);

    [Fact]
    public void An_SSDP_reply_gives_its_location_when_it_points_to_the_device_that_sent_it()
    {
        var reply = Ssdp("HTTP/1.1 200 OK\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nlocation: http://192.168.1.1:5000/rootDesc.xml\r\n\r\n", out string? error);
        Assert.Null(error);
        Assert.Equal(Location, reply!.Location);
        Assert.Equal("urn:schemas-upnp-org:device:InternetGatewayDevice:1", reply.SearchTarget);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: http://10.9.9.9:5000/rootDesc.xml\r\n\r\n", "another host")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: http://router.example/rootDesc.xml\r\n\r\n", "another host")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: https://192.168.1.1/rootDesc.xml\r\n\r\n", "not an http URL")]
    [InlineData("HTTP/1.1 200 OK\r\nLOCATION: file:///etc/passwd\r\n\r\n", "not an http URL")]
    public void An_SSDP_reply_pointing_elsewhere_is_refused_with_a_reason(string text, string reason)
    {
        Assert.Null(Ssdp(text, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Datagrams_that_are_not_SSDP_answers_are_ignored_without_a_reason()
    {
        Assert.Null(Ssdp("M-SEARCH * HTTP/1.1\r\nLOCATION: http://192.168.1.1/\r\n\r\n", out string? e1));
        Assert.Null(Ssdp("HTTP/1.1 404 Not Found\r\nLOCATION: http://192.168.1.1/\r\n\r\n", out string? e2));
        Assert.Null(Ssdp("HTTP/1.1 200 OK\r\nST: x\r\n\r\n", out string? e3));
        // The LOCATION after the header limit is never read.
        string many = string.Concat(Enumerable.Repeat("X-Pad: 1\r\n", SsdpResponse.MaxHeaders));
        Assert.Null(Ssdp($"HTTP/1.1 200 OK\r\n{many}LOCATION: http://192.168.1.1/\r\n\r\n", out string? e4));
        Assert.Null(Ssdp("HTTP/1.1 200 OK\r\nLOCATION: http://192.168.1.1/" + new string('a', SsdpResponse.MaxBytes) + "\r\n\r\n", out string? e5));
        Assert.All(new[] { e1, e2, e3, e4, e5 }, Assert.Null);
    }

    [Fact]
    public void The_description_gives_the_WAN_connection_service_of_an_embedded_device_relative_to_its_location()
    {
        var service = UpnpDescription.Parse(Encoding.UTF8.GetBytes(FakeUpnpGateway.DescriptionWithControl("/ctl/IPConn")), Location);
        Assert.Equal(FakeUpnpGateway.ServiceType, service.ServiceType);
        Assert.Equal(new Uri("http://192.168.1.1:5000/ctl/IPConn"), service.ControlUrl);

        var withBase = UpnpDescription.Parse(Encoding.UTF8.GetBytes(FakeUpnpGateway.DescriptionWithControl("ctl/IPConn", "<URLBase>http://192.168.1.1:49000/igd/</URLBase>")), Location);
        Assert.Equal(new Uri("http://192.168.1.1:49000/igd/ctl/IPConn"), withBase.ControlUrl);
    }

    [Fact]
    public void WANIPConnection_2_is_preferred_and_WANPPPConnection_is_taken_when_it_is_the_only_one()
    {
        static string Services(params string[] types) => "<root><device>" + string.Concat(types.Select((t, i) =>
            $"<serviceList><service><serviceType>{t}</serviceType><controlURL>/c{i}</controlURL></service></serviceList>")) + "</device></root>";

        var ppp = UpnpDescription.Parse(Encoding.UTF8.GetBytes(Services("urn:schemas-upnp-org:service:WANPPPConnection:1")), Location);
        Assert.Equal("/c0", ppp.ControlUrl.AbsolutePath);
        var two = UpnpDescription.Parse(Encoding.UTF8.GetBytes(Services("urn:schemas-upnp-org:service:WANIPConnection:1", "urn:schemas-upnp-org:service:WANIPConnection:2")), Location);
        Assert.Equal(("urn:schemas-upnp-org:service:WANIPConnection:2", "/c1"), (two.ServiceType, two.ControlUrl.AbsolutePath));
    }

    public static TheoryData<string, string> HostileDescriptions => new()
    {
        { "<root><device><serviceList>", "not acceptable XML" },
        { "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><root>&lol2;</root>", "DTD" },
        { "<?xml version=\"1.0\"?><!DOCTYPE root SYSTEM \"http://192.168.1.1/evil.dtd\"><root/>", "DTD" },
        { string.Concat(Enumerable.Repeat("<a>", 100)) + string.Concat(Enumerable.Repeat("</a>", 100)), "nested deeper" },
        { "<root><device><serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><controlURL>/x</controlURL></service></serviceList></device></root>", "no WANIPConnection" },
        { FakeUpnpGateway.DescriptionWithControl("http://10.0.0.99/ctl"), "control URL" },
        { FakeUpnpGateway.DescriptionWithControl("/ctl", "<URLBase>http://10.0.0.99/</URLBase>"), "control URL" },
    };

    [Theory]
    [MemberData(nameof(HostileDescriptions))]
    public void Hostile_or_useless_descriptions_are_bad_replies(string xml, string reason)
    {
        var error = Assert.Throws<TorrentException>(() => UpnpDescription.Parse(Encoding.UTF8.GetBytes(xml), Location));
        Assert.Equal(ErrorCode.GatewayBadReply, error.ErrorCode);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_SOAP_request_names_the_action_in_the_service_namespace_with_escaped_arguments()
    {
        string body = UpnpSoap.Envelope(FakeUpnpGateway.ServiceType, "AddPortMapping", [("NewRemoteHost", string.Empty), ("NewPortMappingDescription", "a<b&c")]);
        Assert.Contains($"<u:AddPortMapping xmlns:u=\"{FakeUpnpGateway.ServiceType}\"><NewRemoteHost></NewRemoteHost><NewPortMappingDescription>a&lt;b&amp;c</NewPortMappingDescription></u:AddPortMapping>", body, StringComparison.Ordinal);
        Assert.Contains("http://schemas.xmlsoap.org/soap/envelope/", body, StringComparison.Ordinal);
    }

    [Fact]
    public void SOAP_replies_give_their_values_faults_their_code_and_anything_else_is_a_bad_reply()
    {
        var ok = UpnpSoap.ParseReply(200, Encoding.UTF8.GetBytes("<s:Envelope xmlns:s=\"x\"><s:Body><u:GetExternalIPAddressResponse xmlns:u=\"y\"><NewExternalIPAddress>203.0.113.9</NewExternalIPAddress></u:GetExternalIPAddressResponse></s:Body></s:Envelope>"));
        Assert.False(ok.IsFault);
        Assert.Equal("203.0.113.9", ok.Values["NewExternalIPAddress"]);

        var fault = UpnpSoap.ParseReply(500, FakeUpnpGateway.Fault(718, "ConflictInMappingEntry").Body);
        Assert.Equal(718, fault.FaultCode);
        Assert.Equal("UPnP error 718 ConflictInMappingEntry", fault.FaultText);

        var longFault = UpnpSoap.ParseReply(500, FakeUpnpGateway.Fault(606, new string('x', 5000)).Body);
        Assert.True(longFault.FaultDescription.Length <= 120);

        Assert.Equal(ErrorCode.GatewayBadReply, Assert.Throws<TorrentException>(() => UpnpSoap.ParseReply(500, "<html>oops</html>"u8.ToArray())).ErrorCode);
        Assert.Equal(ErrorCode.GatewayBadReply, Assert.Throws<TorrentException>(() => UpnpSoap.ParseReply(404, "<x/>"u8.ToArray())).ErrorCode);
        Assert.Equal(ErrorCode.GatewayBadReply, Assert.Throws<TorrentException>(() => UpnpSoap.ParseReply(200, "<x><!DOCTYPE y></x>"u8.ToArray())).ErrorCode);
        Assert.Equal(ErrorCode.GatewayBadReply, Assert.Throws<TorrentException>(() => UpnpSoap.ParseReply(200, "<a><b>"u8.ToArray())).ErrorCode);
    }
}
