namespace GodotTorrent.Peers;

/// <summary>What to do with a handshaken connection.</summary>
/// <param name="Outcome">Admit, admit in place of the existing connection, or refuse.</param>
/// <param name="Code">Why it was refused (or the existing connection closed).</param>
/// <param name="Reason">The same, in words.</param>
internal readonly record struct AdmissionVerdict(AdmissionOutcome Outcome, ErrorCode Code, string? Reason)
{
    public static AdmissionVerdict Admit { get; } = new(AdmissionOutcome.Admit, ErrorCode.None, null);

    public static AdmissionVerdict Refuse(ErrorCode code, string reason) => new(AdmissionOutcome.Refuse, code, reason);
}
