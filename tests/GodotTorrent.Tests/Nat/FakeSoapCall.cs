namespace GodotTorrent.Tests.Nat;

/// <summary>One SOAP action <see cref="FakeUpnpGateway"/> received, with its arguments.</summary>
internal sealed record FakeSoapCall(string Action, IReadOnlyDictionary<string, string> Arguments, string SoapAction)
{
    public string this[string name] => Arguments[name];
}
