namespace GodotTorrent.Interop.Harness;

/// <summary>
/// One torrent as transmission-daemon reports it over RPC (torrent-get). Status: 0 stopped,
/// 1 queued to verify, 2 verifying, 3 queued to download, 4 downloading, 5 queued to seed, 6 seeding.
/// HaveValid counts bytes of hash-checked pieces.
/// </summary>
public sealed record TransmissionStatus(
    int Status,
    double PercentDone,
    long LeftUntilDone,
    long SizeWhenDone,
    long HaveValid,
    long DownloadedEver,
    long UploadedEver,
    int PeersConnected,
    int Error,
    string ErrorString)
{
    public const int Verifying = 2;
    public const int Seeding = 6;

    /// <summary>Every wanted byte present and hash-checked.</summary>
    public bool IsComplete => LeftUntilDone == 0 && HaveValid == SizeWhenDone && SizeWhenDone > 0;
}
