namespace GodotTorrent.Wire;

/// <summary>The <c>msg_type</c> of a ut_metadata message (BEP 9).</summary>
internal enum MetadataMessageType
{
    /// <summary>Asks for one 16 KiB piece of the info dictionary.</summary>
    Request = 0,

    /// <summary>Carries one piece; the raw bytes follow the bencoded dictionary.</summary>
    Data = 1,

    /// <summary>The sender will not send the requested piece.</summary>
    Reject = 2,

    /// <summary>A <c>msg_type</c> this version does not know; it must be ignored, not treated as an error.</summary>
    Unknown = -1,
}
