namespace GodotTorrent.Net.Utp;

/// <summary>The five packet types of BEP 29, as the high nibble of a header's first byte.</summary>
internal enum UtpPacketType : byte
{
    Data = 0,
    Fin = 1,
    State = 2,
    Reset = 3,
    Syn = 4,
}
