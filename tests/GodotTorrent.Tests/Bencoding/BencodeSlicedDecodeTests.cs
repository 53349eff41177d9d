using System.Runtime.InteropServices;
using System.Text;
using GodotTorrent.Bencoding;

namespace GodotTorrent.Tests.Bencoding;

/// <summary>The decoder's large-document mode: strings slice the input, keys repeat as one object, one list can go to a sink.</summary>
public class BencodeSlicedDecodeTests
{
    [Fact]
    public void Sliced_strings_are_views_of_the_input_with_the_same_bytes()
    {
        var input = "d3:key5:valuee"u8.ToArray();
        var value = Assert.IsType<BString>(Assert.IsType<BDictionary>(BencodeReader.DecodeSliced(input)).Get<BString>("key"));

        Assert.Equal("value", value.Text);
        Assert.True(MemoryMarshal.TryGetArray(value.Bytes, out var segment));
        Assert.Same(input, segment.Array);
        Assert.Equal(8, segment.Offset);
    }

    [Fact]
    public void A_listed_path_sends_its_items_to_the_sink_and_other_lists_keep_theirs()
    {
        // The same key one level off the path must not be taken.
        var input = Encoding.ASCII.GetBytes("d4:infod5:filesli1ei2eli3eee4:namel1:xee5:filesli9eee");
        var items = new List<BValue>();
        var sink = new BencodeListSink([Encoding.ASCII.GetBytes("info"), Encoding.ASCII.GetBytes("files")], items.Add);

        var root = Assert.IsType<BDictionary>(BencodeReader.DecodeSliced(input, null, sink));

        var files = root.Get<BDictionary>("info")!.Get<BList>("files")!;
        Assert.Empty(files);
        Assert.Equal((15, 13), (files.SourceOffset, files.SourceLength));
        Assert.Equal(3, items.Count);
        Assert.Equal(2, Assert.IsType<BInteger>(items[1]).Value);
        Assert.Equal(3, Assert.IsType<BInteger>(Assert.IsType<BList>(items[2])[0]).Value);
        Assert.Single(root.Get<BDictionary>("info")!.Get<BList>("name")!);
        Assert.Single(root.Get<BList>("files")!);
    }

    [Fact]
    public void Items_given_to_a_sink_still_count_against_the_value_limit()
    {
        var input = Encoding.ASCII.GetBytes("d5:filesli1ei2ei3eee");
        var sink = new BencodeListSink([Encoding.ASCII.GetBytes("files")], _ => { });

        var e = Assert.Throws<BencodeException>(() => BencodeReader.DecodeSliced(input, new BencodeLimits { MaxElements = 5 }, sink));
        Assert.Equal(ErrorCode.TooManyElements, e.ErrorCode);
    }

    [Fact]
    public void Past_the_key_cache_threshold_repeated_keys_share_one_object_and_duplicates_are_still_refused()
    {
        var builder = new StringBuilder("l");
        for (int i = 0; i < 200; i++)
        {
            builder.Append("d6:lengthi1e4:pathl1:aee");
        }

        var list = Assert.IsType<BList>(BencodeReader.Decode(Encoding.ASCII.GetBytes(builder + "e")));
        var firstKey = ((BDictionary)list[0]).Entries[0].Key;
        var lastKey = ((BDictionary)list[^1]).Entries[0].Key;
        Assert.Equal("length", lastKey.Text);
        Assert.NotSame(firstKey, ((BDictionary)list[1]).Entries[0].Key);
        Assert.Same(((BDictionary)list[^2]).Entries[0].Key, lastKey);

        var duplicate = Encoding.ASCII.GetBytes(builder + "d6:lengthi1e6:lengthi2eee");
        var e = Assert.Throws<BencodeException>(() => BencodeReader.Decode(duplicate));
        Assert.Equal(ErrorCode.InvalidKey, e.ErrorCode);
        Assert.Equal(duplicate.Length - 13, e.Offset);
    }

    [Fact]
    public void A_dictionary_on_the_path_sends_its_values_to_the_sink_and_keeps_its_keys()
    {
        var input = Encoding.ASCII.GetBytes("d4:infod9:file treed1:ai1e1:bd1:ci2eeee9:file treed1:xi3eee");
        var taken = new List<(string, BValue)>();
        var sink = new BencodeDictionarySink([Encoding.ASCII.GetBytes("info"), Encoding.ASCII.GetBytes("file tree")], (k, v) => taken.Add((k.Text, v)));

        var root = Assert.IsType<BDictionary>(BencodeReader.DecodeSliced(input, null, null, sink));

        var tree = root.Get<BDictionary>("info")!.Get<BDictionary>("file tree")!;
        Assert.Equal(["a", "b"], tree.Entries.Select(e => e.Key.Text));
        Assert.All(tree.Entries, e => Assert.Same(BencodeDictionarySink.Taken, e.Value));
        Assert.Equal((19, 19), (tree.SourceOffset, tree.SourceLength));
        Assert.Equal(["a", "b"], taken.Select(t => t.Item1));
        Assert.Equal(2, Assert.IsType<BDictionary>(taken[1].Item2).Get<BInteger>("c")!.Value);
        Assert.Equal(3, root.Get<BDictionary>("file tree")!.Get<BInteger>("x")!.Value);
    }

    [Fact]
    public void A_dictionary_given_to_a_sink_still_refuses_a_duplicate_key_out_of_order()
    {
        // Out of order, the check looks the key up among those already read: the sink's dictionary must keep them.
        var input = Encoding.ASCII.GetBytes("d9:file treed1:bi1e1:ai2e1:bi3eee");
        var sink = new BencodeDictionarySink([Encoding.ASCII.GetBytes("file tree")], (_, _) => { });

        var e = Assert.Throws<BencodeException>(() => BencodeReader.DecodeSliced(input, null, null, sink));
        Assert.Equal(ErrorCode.InvalidKey, e.ErrorCode);
        Assert.Equal(25, e.Offset);
    }

    [Fact]
    public void Strings_inside_the_window_slice_it_and_the_others_are_copies()
    {
        var input = Encoding.ASCII.GetBytes("d4:infod4:name3:abce3:out3:xyze");
        Assert.True(BencodeReader.TryFindTopLevelValue(input, "info"u8, out int start, out int length));
        Assert.Equal((7, 13), (start, length));
        var window = input.AsSpan(start, length).ToArray();

        var root = Assert.IsType<BDictionary>(BencodeReader.DecodeSliced(input, window, start));

        var name = root.Get<BDictionary>("info")!.Get<BString>("name")!;
        Assert.True(MemoryMarshal.TryGetArray(name.Bytes, out var inside));
        Assert.Same(window, inside.Array);
        Assert.Equal(9, inside.Offset);
        var outside = root.Get<BString>("out")!;
        Assert.Equal("xyz", outside.Text);
        Assert.True(MemoryMarshal.TryGetArray(outside.Bytes, out var copy));
        Assert.NotSame(window, copy.Array);
        Assert.NotSame(input, copy.Array);
    }

    [Theory]
    [InlineData("d3:agei5e4:infoli1eli2eee1:zi0ee", true, 15, 10)]
    [InlineData("d4:infod1:a3:b:ce4:infoi1ee", true, 7, 10)]
    [InlineData("d3:fooi1ee", false, 0, 0)]
    [InlineData("l4:infoe", false, 0, 0)]
    [InlineData("d4:infod1:a99:xee", false, 0, 0)]
    [InlineData("d4:infodd", false, 0, 0)]
    [InlineData("d4:infoi12", false, 0, 0)]
    public void Finding_a_top_level_value_steps_over_values_and_gives_up_on_what_does_not_fit(string input, bool found, int start, int length)
    {
        Assert.Equal(found, BencodeReader.TryFindTopLevelValue(Encoding.ASCII.GetBytes(input), "info"u8, out int s, out int l));
        Assert.Equal((start, length), (s, l));
    }
}
