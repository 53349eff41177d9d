using System.Net;
using System.Net.Sockets;
using GodotTorrent.Bencoding;
using GodotTorrent.Wire;

namespace GodotTorrent.Dht;

/// <summary>
/// Answers queries (BEP 5 ping, find_node, get_peers, announce_peer; BEP 51 sample_infohashes;
/// BEP 44 get and put; error 204 for anything else). Runs under the engine's lock.
/// </summary>
internal static class DhtResponder
{
    /// <summary>Peers in one get_peers reply: 50 IPv4 or 25 IPv6 ones keep it well under a frame.</summary>
    public const int MaxValues4 = 50;
    public const int MaxValues6 = 25;

    /// <summary>Info-hashes in one sample_infohashes reply (BEP 51 says as many as fit; 20 keeps it small).</summary>
    public const int MaxSamples = 20;

    /// <summary>Seconds a BEP 51 client should wait before asking us again.</summary>
    public const int SampleInterval = 300;

    /// <summary>Serves one query: BEP 43's silence, the per-source limit, the table's view of the asker, the reply.</summary>
    public static void Serve(DhtEngine engine, DhtNode node, KrpcMessage query, IPEndPoint from, DateTimeOffset now)
    {
        engine.Traffic.QueriesReceived++;

        // BEP 43: a read-only node answers nothing.
        if (engine.Options.ReadOnly)
        {
            return;
        }

        if (!engine.Traffic.AllowQuery(from.Address))
        {
            engine.Traffic.Dropped++;
            return;
        }

        if (!query.ReadOnly && query.Id is { } id)
        {
            bool known = node.Table.Contains(from);
            if (node.Table.Heard(id, from, replied: false, now) is { } stale)
            {
                node.Ping(stale.EndPoint, now);
            }

            // A newcomer is confirmed before it counts as good (and before a spoofed source does).
            if (!known && node.Table.Find(from) is { LastReply: null })
            {
                node.Ping(from, now);
            }
        }

        if (Answer(engine, node, query, from, now) is { } reply)
        {
            engine.Traffic.SendReply(node, reply, from);
        }
    }

    /// <summary>Builds the reply to <paramref name="query"/>, or null when there is none to send.</summary>
    private static byte[]? Answer(DhtEngine engine, DhtNode node, KrpcMessage query, IPEndPoint from, DateTimeOffset now)
    {
        var values = KrpcBuilder.WithId(node.Id);
        switch (query.Method)
        {
            case KrpcMethod.Ping:
                break;
            case KrpcMethod.FindNode:
                AddNodes(engine, node, query, values);
                break;
            case KrpcMethod.GetPeers:
                values.Set(KrpcBuilder.TokenKey, new BString(engine.Tokens.Issue(from.Address)));
                var peers = engine.Store.Peers(query.Target!.Value, from.AddressFamily == AddressFamily.InterNetworkV6 ? MaxValues6 : MaxValues4, now);
                peers.RemoveAll(p => p.AddressFamily != from.AddressFamily);
                if (peers.Count > 0)
                {
                    var list = new BList();
                    foreach (var peer in peers)
                    {
                        list.Add(new BString(CompactEndPoints.Peer(peer)));
                    }

                    values.Set(KrpcBuilder.ValuesKey, list);
                }
                else
                {
                    AddNodes(engine, node, query, values);
                }

                engine.PostGetPeers(query.Target.Value, from);
                break;
            case KrpcMethod.AnnouncePeer:
                if (!engine.Tokens.IsValid(query.Token, from.Address))
                {
                    engine.CountDrop();
                    return KrpcBuilder.Error(query.TransactionId, KrpcBuilder.ProtocolError, "invalid token");
                }

                var announced = new IPEndPoint(from.Address, query.ImpliedPort ? from.Port : query.Port);
                engine.Store.Announce(query.Target!.Value, announced, query.Seed, now);
                engine.PostAnnounce(query.Target.Value, announced);
                break;
            case KrpcMethod.Get:
                values.Set(KrpcBuilder.TokenKey, new BString(engine.Tokens.Issue(from.Address)));
                AddNodes(engine, node, query, values);
                engine.Items.Get(query.Target!.Value, query.Sequence)?.WriteTo(values);
                break;
            case KrpcMethod.Put:
                if (PutRefusal(engine, query, from) is { } refusal)
                {
                    engine.CountDrop();
                    return refusal;
                }

                break;
            case KrpcMethod.SampleInfohashes:
                var samples = engine.Store.Sample(MaxSamples);
                var bytes = new byte[samples.Count * Id20.Length];
                for (int i = 0; i < samples.Count; i++)
                {
                    samples[i].CopyTo(bytes.AsSpan(i * Id20.Length));
                }

                values.Set(KrpcBuilder.SamplesKey, new BString(bytes));
                values.Set(KrpcBuilder.NumKey, new BInteger(engine.Store.InfoHashes));
                values.Set(KrpcBuilder.IntervalKey, new BInteger(SampleInterval));
                AddNodes(engine, node, query, values);
                break;
            default:
                return KrpcBuilder.Error(query.TransactionId, KrpcBuilder.MethodUnknown, "Method Unknown");
        }

        return KrpcBuilder.Response(query.TransactionId, values, from);
    }

    // BEP 44: the token is checked as for announce_peer, then the store's rules (205-302).
    private static byte[]? PutRefusal(DhtEngine engine, KrpcMessage query, IPEndPoint from)
    {
        if (query.Put is not { } put)
        {
            return KrpcBuilder.Error(query.TransactionId, (int)query.PutError, query.ErrorMessage ?? "put refused");
        }

        if (!engine.Tokens.IsValid(put.Token.ToArray(), from.Address))
        {
            return KrpcBuilder.Error(query.TransactionId, KrpcBuilder.ProtocolError, "invalid token");
        }

        var outcome = engine.Items.Put(put);
        return outcome.Stored ? null : KrpcBuilder.Error(query.TransactionId, (int)outcome.Error, outcome.Message);
    }

    // BEP 32: the families asked for in `want`, else the socket's own.
    private static void AddNodes(DhtEngine engine, DhtNode node, KrpcMessage query, BDictionary values)
    {
        var target = query.Target ?? node.Id;
        bool want4 = query.WantNodes4 || (!query.WantNodes6 && node.Family == AddressFamily.InterNetwork);
        bool want6 = query.WantNodes6 || (!query.WantNodes4 && node.Family == AddressFamily.InterNetworkV6);
        if (want4 && engine.NodeOf(AddressFamily.InterNetwork) is { } v4)
        {
            values.Set(KrpcBuilder.NodesKey, new BString(CompactEndPoints.Nodes(v4.Table.Closest(target, DhtLookup.K, confirmedOnly: false), AddressFamily.InterNetwork)));
        }

        if (want6 && engine.NodeOf(AddressFamily.InterNetworkV6) is { } v6)
        {
            values.Set(KrpcBuilder.Nodes6Key, new BString(CompactEndPoints.Nodes(v6.Table.Closest(target, DhtLookup.K, confirmedOnly: false), AddressFamily.InterNetworkV6)));
        }
    }
}
