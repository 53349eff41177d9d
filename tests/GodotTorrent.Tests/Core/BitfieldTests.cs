namespace GodotTorrent.Tests.Core;

public class BitfieldTests
{
    [Fact]
    public void Wire_form_puts_piece_zero_in_the_high_bit()
    {
        var field = new Bitfield(10);
        field[0] = true;
        field[9] = true;
        Assert.Equal([0x80, 0x40], field.ToBytes());
        Assert.Equal(2, field.SetCount);
        Assert.Equal("1000000001", field.ToString());
        Assert.Equal(field, Bitfield.FromBytes([0x80, 0x40], 10));
    }

    [Fact]
    public void Spare_bits_and_wrong_lengths_are_rejected()
    {
        Assert.Throws<FormatException>(() => Bitfield.FromBytes([0xFF, 0xE0], 10));
        Assert.Throws<FormatException>(() => Bitfield.FromBytes([0xFF], 10));
        Assert.Equal(10, Bitfield.FromBytes([0xFF, 0xC0], 10).SetCount);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(200)]
    public void Set_all_and_searches_respect_the_count(int count)
    {
        var field = new Bitfield(count, value: true);
        Assert.True(field.AllSet);
        Assert.Equal(-1, field.NextClear(0));
        Assert.Equal(count, field.SetIndices().Count());
        Assert.Equal(field, Bitfield.FromBytes(field.ToBytes(), count));

        field[count - 1] = false;
        Assert.Equal(count - 1, field.NextClear(0));
        Assert.Equal(count - 1, field.SetCount);
        field.SetAll(false);
        Assert.True(field.NoneSet);
        Assert.Equal(-1, field.NextSet(0));
    }

    [Fact]
    public void Random_fields_round_trip_and_searches_agree_with_indexing()
    {
        var random = new Random(5);
        for (int n = 0; n < 200; n++)
        {
            int count = random.Next(1, 300);
            var field = new Bitfield(count);
            var expected = new bool[count];
            for (int i = 0; i < count; i++)
            {
                expected[i] = random.Next(3) == 0;
                field[i] = expected[i];
            }

            Assert.Equal(expected.Count(b => b), field.SetCount);
            Assert.Equal(Enumerable.Range(0, count).Where(i => expected[i]), field.SetIndices());
            var clone = field.Clone();
            Assert.Equal(field, Bitfield.FromBytes(clone.ToBytes(), count));
            int start = random.Next(count);
            Assert.Equal(Array.FindIndex(expected, start, b => !b), field.NextClear(start));
        }
    }
}
