namespace GodotTorrent.Net.Utp;

/// <summary>16-bit sequence and ack numbers that wrap around (BEP 29).</summary>
internal static class UtpSequence
{
    /// <summary>How far <paramref name="later"/> is after <paramref name="earlier"/>, modulo 2^16.</summary>
    public static int Distance(ushort earlier, ushort later) => (ushort)(later - earlier);

    /// <summary>True when <paramref name="a"/> comes before <paramref name="b"/> (within half the number space).</summary>
    public static bool Before(ushort a, ushort b) => a != b && Distance(a, b) < 0x8000;
}
