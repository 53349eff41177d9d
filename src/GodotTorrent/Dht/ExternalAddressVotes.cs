using System.Net;

namespace GodotTorrent.Dht;

/// <summary>
/// What nodes say our address is (the BEP 42 <c>ip</c> field). An address becomes our external
/// one once <see cref="Quorum"/> distinct nodes agree, so one liar cannot move our id. Bounded:
/// <see cref="MaxAddresses"/> candidate addresses, <see cref="Quorum"/> voters each.
/// </summary>
internal sealed class ExternalAddressVotes
{
    public const int Quorum = 5;
    public const int MaxAddresses = 16;

    private readonly Dictionary<IPAddress, HashSet<IPAddress>> _votes = [];

    /// <summary>Records that <paramref name="voter"/> saw us at <paramref name="address"/>; true when that reaches the quorum now.</summary>
    public bool Vote(IPAddress address, IPAddress voter)
    {
        if (!_votes.TryGetValue(address, out var voters))
        {
            if (_votes.Count >= MaxAddresses)
            {
                _votes.Clear();
            }

            voters = [];
            _votes.Add(address, voters);
        }

        return voters.Count < Quorum && voters.Add(voter) && voters.Count == Quorum;
    }
}
