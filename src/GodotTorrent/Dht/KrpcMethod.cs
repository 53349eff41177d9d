namespace GodotTorrent.Dht;

/// <summary>The queries we speak (BEP 5, BEP 51, BEP 44); anything else is <see cref="Unknown"/> and answered with error 204.</summary>
internal enum KrpcMethod
{
    Unknown,
    Ping,
    FindNode,
    GetPeers,
    AnnouncePeer,
    SampleInfohashes,
    Get,
    Put,
}
