namespace GodotTorrent.Peers;

/// <summary>The kinds of <see cref="AdmissionVerdict"/>.</summary>
internal enum AdmissionOutcome
{
    Admit,

    /// <summary>Admit, and close the other connection to the same peer.</summary>
    AdmitReplacingExisting,

    Refuse,

    /// <summary>A limit is reached: admit only if a less useful connection can be closed (<see cref="SlotEviction"/>), else refuse.</summary>
    AdmitMakingRoom,

    /// <summary>The per-address limit is reached: admit only if a less useful connection from the same address can be closed.</summary>
    AdmitMakingRoomForAddress,
}
