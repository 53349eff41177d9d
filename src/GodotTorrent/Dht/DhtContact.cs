using System.Net;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>A node as BEP 5's compact node info gives it: its id and UDP endpoint.</summary>
internal readonly record struct DhtContact(Id20 Id, IPEndPoint EndPoint);
