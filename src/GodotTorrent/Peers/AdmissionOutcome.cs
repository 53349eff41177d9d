namespace GodotTorrent.Peers;

/// <summary>The kinds of <see cref="AdmissionVerdict"/>.</summary>
internal enum AdmissionOutcome
{
    Admit,

    /// <summary>Admit, and close the other connection to the same peer.</summary>
    AdmitReplacingExisting,

    Refuse,
}
