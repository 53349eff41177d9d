using System.Text;
using GodotTorrent.Trackers;

namespace GodotTorrent.Tests.Trackers;

public class TrackerFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        Encoding.Latin1.GetBytes($"d8:completei4e10:incompletei7e8:intervali900e12:min intervali60e5:peers{TrackerTestData.Bencode(TrackerTestData.Compact(("10.0.0.1", 6881), ("10.0.0.2", 80)))}10:tracker id3:xyz15:warning message4:warne"),
        Encoding.Latin1.GetBytes("d8:intervali1800e5:peersld2:ip8:10.1.2.34:porti7000eed2:ip9:fe80::1234:porti7001eee6:peers618:AAAAAAAAAAAAAAAABBe"),
        Encoding.Latin1.GetBytes("d14:failure reason22:torrent not registerede"),
        Encoding.Latin1.GetBytes($"d5:filesd{TrackerTestData.Bencode(TrackerTestData.InfoHash)}d8:completei5e10:downloadedi9e10:incompletei3eeee"),
    ];

    [Fact]
    public void Mutated_http_replies_only_ever_throw_TrackerException()
    {
        var random = new Random(4_0404);
        int parsed = 0, rejected = 0;
        for (int n = 0; n < 2000; n++)
        {
            var input = Mutate(Seeds[random.Next(Seeds.Length)], random);
            try
            {
                if (random.Next(2) == 0)
                {
                    var reply = HttpTrackerReply.ParseAnnounce(input, 1000);
                    Assert.True(reply.Peers.Count <= 1000);
                }
                else
                {
                    HttpTrackerReply.ParseScrape(input, TrackerTestData.InfoHash);
                }

                parsed++;
            }
            catch (TrackerException e)
            {
                Assert.InRange((int)e.ErrorCode, 800, 899);
                rejected++;
            }
        }

        Assert.True(parsed > 0 && rejected > 0, $"parsed {parsed}, rejected {rejected}");
    }

    [Fact]
    public void Mutated_udp_replies_only_ever_throw_TrackerException()
    {
        var random = new Random(15);
        var seeds = new[]
        {
            FakeUdpTracker.AnnounceReply(1, 1800, 2, 3, TrackerTestData.Compact(("10.0.0.1", 1), ("10.0.0.2", 2))),
            FakeUdpTracker.ScrapeReply(1, 1, 2, 3),
            FakeUdpTracker.ConnectReply(1, 42),
        };
        for (int n = 0; n < 2000; n++)
        {
            var input = Mutate(seeds[random.Next(seeds.Length)], random);
            try
            {
                switch (random.Next(3))
                {
                    case 0:
                        UdpTrackerProtocol.ParseAnnounce(input, random.Next(2) == 0, 1000);
                        break;
                    case 1:
                        UdpTrackerProtocol.ParseScrape(input);
                        break;
                    default:
                        UdpTrackerProtocol.ParseConnect(input);
                        break;
                }
            }
            catch (TrackerException e)
            {
                Assert.Equal(ErrorCode.InvalidTrackerResponse, e.ErrorCode);
            }
        }
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var input = seed.ToList();
        int edits = random.Next(1, 6);
        for (int e = 0; e < edits && input.Count > 0; e++)
        {
            int pos = random.Next(input.Count);
            switch (random.Next(6))
            {
                case 0:
                    input[pos] = (byte)random.Next(256);
                    break;
                case 1:
                    input[pos] ^= (byte)(1 << random.Next(8));
                    break;
                case 2:
                    input[pos] = (byte)"0123456789:ilde"[random.Next(15)];
                    break;
                case 3:
                    input.RemoveRange(pos, Math.Min(random.Next(1, 8), input.Count - pos));
                    break;
                case 4:
                    input.InsertRange(pos, Enumerable.Range(0, random.Next(1, 8)).Select(_ => (byte)random.Next(256)));
                    break;
                default:
                    input = input[..pos];
                    break;
            }
        }

        return [.. input];
    }
}
