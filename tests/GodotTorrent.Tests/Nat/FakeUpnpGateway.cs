using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using GodotTorrent.Nat.Upnp;
using GodotTorrent.Tests.Trackers;

namespace GodotTorrent.Tests.Nat;

/// <summary>
/// An Internet Gateway Device written for the tests, all on 127.0.0.1: an SSDP responder (a UDP
/// socket the mapper's M-SEARCH is aimed at instead of the multicast group), the device
/// description and a WANIPConnection:1 control URL over <see cref="FakeHttpTracker"/>, with a
/// mapping table like a router's. Each part can be made hostile.
/// </summary>
internal sealed partial class FakeUpnpGateway : IDisposable
{
    public const string ServiceType = "urn:schemas-upnp-org:service:WANIPConnection:1";
    public const string ControlPath = "/ctl/IPConn";

    private readonly UdpClient _ssdp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly FakeHttpTracker _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<(int Port, string Protocol), (string Client, int InternalPort, int Lease)> _table = [];
    private int _searches;

    public FakeUpnpGateway()
    {
        _http = new FakeHttpTracker(Handle);
        Description = Encoding.UTF8.GetBytes(DescriptionWithControl(ControlPath));
        _ = ServeSsdpAsync();
    }

    public IPEndPoint SsdpEndPoint => (IPEndPoint)_ssdp.Client.LocalEndPoint!;

    public string BaseUrl => $"http://127.0.0.1:{_http.Port}";

    /// <summary>The LOCATION each SSDP reply carries.</summary>
    public string Location { get; set; } = string.Empty;

    /// <summary>The description served at /rootDesc.xml.</summary>
    public byte[] Description { get; set; }

    /// <summary>Serve the description without Content-Length (ended by closing), so only counting can limit it.</summary>
    public bool DescriptionWithoutLength { get; set; }

    public string ExternalIp { get; set; } = "203.0.113.9";

    /// <summary>External ports (with "TCP"/"UDP") mapped to another host: 718.</summary>
    public ConcurrentDictionary<(int Port, string Protocol), bool> TakenByOthers { get; } = new();

    public bool EveryPortTaken { get; set; }

    /// <summary>Answer 725 to any lease but 0, as some IGD 2 routers do.</summary>
    public bool OnlyPermanentLeases { get; set; }

    /// <summary>A reply of the test's own for an action (by name); null: behave.</summary>
    public Func<string, FakeHttpReply?>? Override { get; set; }

    public ConcurrentQueue<FakeSoapCall> Calls { get; } = new();

    public ConcurrentQueue<string> SearchMessages { get; } = new();

    public int Searches => Volatile.Read(ref _searches);

    /// <summary>Options aiming the mapper at this gateway, with short time-outs.</summary>
    public UpnpOptions Options => new()
    {
        MulticastEndPoint = SsdpEndPoint,
        LocalAddresses = [IPAddress.Loopback],
        SearchWindow = TimeSpan.FromSeconds(2),
        HttpTimeout = TimeSpan.FromSeconds(1),
        StopBudget = TimeSpan.FromSeconds(2),
    };

    public IReadOnlyDictionary<(int Port, string Protocol), (string Client, int InternalPort, int Lease)> Table
    {
        get
        {
            lock (_table)
            {
                return new Dictionary<(int, string), (string, int, int)>(_table);
            }
        }
    }

    public List<FakeSoapCall> CallsTo(string action) => [.. Calls.Where(c => c.Action == action)];

    public static string DescriptionWithControl(string controlUrl, string urlBase = "") => $"""
        <?xml version="1.0"?>
        <root xmlns="urn:schemas-upnp-org:device-1-0">
        <specVersion><major>1</major><minor>0</minor></specVersion>{urlBase}
        <device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:1</deviceType><friendlyName>Fake router</friendlyName>
        <serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><serviceId>urn:upnp-org:serviceId:L3Forwarding1</serviceId><controlURL>/ctl/L3F</controlURL></service></serviceList>
        <deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:1</deviceType>
        <serviceList><service><serviceType>urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1</serviceType><controlURL>/ctl/CmnIfCfg</controlURL></service></serviceList>
        <deviceList><device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:1</deviceType>
        <serviceList><service><serviceType>{ServiceType}</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId><controlURL>{controlUrl}</controlURL><eventSubURL>/evt/IPConn</eventSubURL><SCPDURL>/WANIPCn.xml</SCPDURL></service></serviceList>
        </device></deviceList></device></deviceList></device></root>
        """;

    public static FakeHttpReply Fault(int code, string description) => new()
    {
        Status = 500,
        Body = Encoding.UTF8.GetBytes($"""<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>{code}</errorCode><errorDescription>{description}</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>"""),
    };

    public void Dispose()
    {
        _stop.Cancel();
        _ssdp.Dispose();
        _http.Dispose();
    }

    private static FakeHttpReply Response(string action, string arguments = "") => new()
    {
        Body = Encoding.UTF8.GetBytes($"""<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body><u:{action}Response xmlns:u="{ServiceType}">{arguments}</u:{action}Response></s:Body></s:Envelope>"""),
        Headers = ["Content-Type: text/xml; charset=\"utf-8\""],
    };

    [GeneratedRegex("<(New[A-Za-z]+)>([^<]*)</New[A-Za-z]+>")]
    private static partial Regex ArgumentPattern();

    private FakeHttpReply Handle(FakeHttpRequest request)
    {
        if (request.Path == "/rootDesc.xml")
        {
            return new FakeHttpReply { Body = Description, NoContentLength = DescriptionWithoutLength };
        }

        if (request.Path != ControlPath)
        {
            return new FakeHttpReply { Status = 404 };
        }

        string soapAction = request.Headers.GetValueOrDefault("SOAPAction", string.Empty);
        string action = soapAction.Trim('"').Split('#').Last();
        var arguments = ArgumentPattern().Matches(Encoding.UTF8.GetString(request.Body)).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Calls.Enqueue(new FakeSoapCall(action, arguments, soapAction));
        if (Override?.Invoke(action) is { } reply)
        {
            return reply;
        }

        lock (_table)
        {
            switch (action)
            {
                case "GetExternalIPAddress":
                    return Response(action, $"<NewExternalIPAddress>{ExternalIp}</NewExternalIPAddress>");
                case "AddPortMapping":
                    var key = (int.Parse(arguments["NewExternalPort"]), arguments["NewProtocol"]);
                    if (OnlyPermanentLeases && arguments["NewLeaseDuration"] != "0")
                    {
                        return Fault(725, "OnlyPermanentLeasesSupported");
                    }

                    if (EveryPortTaken || TakenByOthers.ContainsKey(key))
                    {
                        return Fault(718, "ConflictInMappingEntry");
                    }

                    _table[key] = (arguments["NewInternalClient"], int.Parse(arguments["NewInternalPort"]), int.Parse(arguments["NewLeaseDuration"]));
                    return Response(action);
                case "DeletePortMapping":
                    return _table.Remove((int.Parse(arguments["NewExternalPort"]), arguments["NewProtocol"])) ? Response(action) : Fault(714, "NoSuchEntryInArray");
                default:
                    return Fault(401, "Invalid Action");
            }
        }
    }

    private async Task ServeSsdpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult search;
            try
            {
                search = await _ssdp.ReceiveAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            Interlocked.Increment(ref _searches);
            SearchMessages.Enqueue(Encoding.ASCII.GetString(search.Buffer));
            string location = Location.Length > 0 ? Location : BaseUrl + "/rootDesc.xml";
            string reply = "HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=120\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                + "USN: uuid:fake-igd::urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\nEXT:\r\nSERVER: Fake/1.0 UPnP/1.1\r\n"
                + $"LOCATION: {location}\r\n\r\n";
            try
            {
                await _ssdp.SendAsync(Encoding.ASCII.GetBytes(reply), search.RemoteEndPoint, _stop.Token);
            }
            catch (Exception)
            {
                return;
            }
        }
    }
}
