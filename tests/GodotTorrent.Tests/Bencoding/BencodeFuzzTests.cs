using GodotTorrent.Bencoding;

namespace GodotTorrent.Tests.Bencoding;

public class BencodeFuzzTests
{
    private const int Seed = 0x5EED;
    private const int MutatedInputs = 100_000;

    // Mutations favour bytes with meaning in bencode, so they reach deep into the grammar.
    private static readonly byte[] Interesting = "ilde:-0123456789"u8.ToArray();

    [Fact]
    public void MutatedAndTruncatedInputsGiveAValueOrABencodeException()
    {
        var random = new Random(Seed);
        // Tight limits on every fourth input so each limit is also hit from many odd states.
        var tight = new BencodeLimits { MaxDepth = 2, MaxStringLength = 64, MaxElements = 8, MaxInputLength = 200 };
        int values = 0;
        int errors = 0;
        var codes = new HashSet<ErrorCode>();

        foreach (var sample in BencodeSamples.Valid)
        {
            for (int length = 0; length < sample.Length; length++)
            {
                Check(sample.AsSpan(0, length).ToArray(), BencodeLimits.Default, $"truncated to {length}");
            }
        }

        for (int i = 0; i < MutatedInputs; i++)
        {
            var sample = BencodeSamples.Valid[random.Next(BencodeSamples.Valid.Count)];
            var input = Mutate(random, sample);
            Check(input, i % 4 == 0 ? tight : BencodeLimits.Default, $"iteration {i}");
        }

        Assert.True(values > 1000, $"only {values} inputs decoded");
        Assert.True(errors > 50_000, $"only {errors} inputs rejected");
        Assert.True(codes.Count == 11, $"only {string.Join(", ", codes)} seen");
        Assert.All(codes, code => Assert.InRange((int)code, 100, 199));

        void Check(byte[] input, BencodeLimits limits, string what)
        {
            try
            {
                // Alternate the two entry points; only Decode reports trailing data.
                int consumed = input.Length;
                var value = (values + errors) % 2 == 0
                    ? BencodeReader.Decode(input, limits)
                    : BencodeReader.DecodePrefix(input, out consumed, limits);
                Assert.Equal(0, value.SourceOffset);
                Assert.Equal(consumed, value.SourceLength);
                Assert.InRange(consumed, 1, input.Length);
                values++;
            }
            catch (BencodeException e)
            {
                Assert.InRange(e.Offset, 0, input.Length);
                codes.Add(e.ErrorCode);
                errors++;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"Seed {Seed}, {what}: {e.GetType().Name} for input {Convert.ToHexString(input)}\n{e}");
            }
        }
    }

    private static byte[] Mutate(Random random, byte[] sample)
    {
        var bytes = new List<byte>(sample);
        for (int n = random.Next(1, 4); n > 0; n--)
        {
            int at = random.Next(bytes.Count + 1);
            switch (random.Next(5))
            {
                case 0 when at < bytes.Count:
                    bytes[at] = NextByte(random);
                    break;
                case 1 when at < bytes.Count:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    bytes.Insert(at, NextByte(random));
                    break;
                case 3 when at < bytes.Count:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 8), bytes.Count - at));
                    break;
                default:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte NextByte(Random random) =>
        random.Next(2) == 0 ? Interesting[random.Next(Interesting.Length)] : (byte)random.Next(256);
}
