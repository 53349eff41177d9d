namespace GodotTorrent.Tests.Nat;

/// <summary>A request the fake gateway received: opcode 0 (external address), 1 (UDP) or 2 (TCP) and, for a mapping, its fields.</summary>
internal readonly record struct FakeNatPmpRequest(byte Opcode, int InternalPort, int SuggestedExternalPort, uint Lifetime);
