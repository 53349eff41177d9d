namespace GodotTorrent.Dht;

/// <summary>The <c>y</c> of a KRPC message (BEP 5).</summary>
internal enum KrpcKind
{
    Query,
    Response,
    Error,
}
