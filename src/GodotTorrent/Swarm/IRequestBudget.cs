namespace GodotTorrent.Swarm;

/// <summary>
/// What a request costs before it is sent: room in the disk buffer for the block and download
/// allowance. The torrent provides it; tests give a fake.
/// </summary>
internal interface IRequestBudget
{
    /// <summary>Reserves room for a block of <paramref name="length"/> bytes; <see cref="RequestStall.None"/> when granted.</summary>
    RequestStall TryReserve(int length);

    /// <summary>Returns the room of a block that will not be written (cancelled, rejected, timed out, redundant).</summary>
    void Release(int length);
}
