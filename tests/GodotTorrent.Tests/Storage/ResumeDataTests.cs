using GodotTorrent.Metainfo;
using GodotTorrent.Storage;

namespace GodotTorrent.Tests.Storage;

public sealed class ResumeDataTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "gt-resume-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static CheckTorrentBuilder Make(TorrentVersion version = TorrentVersion.Hybrid) =>
        CheckTorrentBuilder.Build(version, 32 * 1024, 21, 100_000, 20_000, 70_000);

    private static ResumeData Sample(CheckTorrentBuilder t, IPieceStorage storage, bool withTorrent = true)
    {
        var pieces = new Bitfield(t.Torrent.PieceCount);
        pieces[0] = true;
        pieces[2] = true;
        var blocks = new Bitfield(2);
        blocks[1] = true;
        return new ResumeData
        {
            InfoHashes = t.Torrent.InfoHashes,
            SavePath = "/games/ünïcode",
            Pieces = pieces,
            PartialPieces = new Dictionary<int, Bitfield> { [1] = blocks },
            FilePriorities = t.Torrent.Files.Select((f, i) => (Priority)(i % 8)).ToArray(),
            PiecePriorities = Enumerable.Range(0, t.Torrent.PieceCount).Select(i => (Priority)(7 - i % 8)).ToArray(),
            RenamedFiles = new Dictionary<int, string> { [0] = "t/renamed.bin" },
            Files = ResumeDataStore.CaptureFileStates(storage),
            TotalUploaded = 123_456_789_012,
            TotalDownloaded = 42,
            Trackers = [["http://tracker.lan/announce", "udp://tracker.lan:6969"], ["http://backup.lan/announce"]],
            WebSeeds = ["http://cdn.lan/files/"],
            AddedTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            CompletedTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_100),
            Torrent = withTorrent ? t.Torrent : null,
        };
    }

    private static void AssertSame(ResumeData expected, ResumeData actual)
    {
        Assert.Equal(expected.InfoHashes, actual.InfoHashes);
        Assert.Equal(expected.SavePath, actual.SavePath);
        Assert.Equal(expected.Pieces, actual.Pieces);
        Assert.Equal(expected.PartialPieces.OrderBy(p => p.Key), actual.PartialPieces.OrderBy(p => p.Key));
        Assert.Equal(expected.FilePriorities, actual.FilePriorities);
        Assert.Equal(expected.PiecePriorities, actual.PiecePriorities);
        Assert.Equal(expected.RenamedFiles.OrderBy(p => p.Key), actual.RenamedFiles.OrderBy(p => p.Key));
        Assert.Equal(expected.Files, actual.Files);
        Assert.Equal(expected.TotalUploaded, actual.TotalUploaded);
        Assert.Equal(expected.TotalDownloaded, actual.TotalDownloaded);
        Assert.Equal(expected.Trackers.Select(t => string.Join(' ', t)), actual.Trackers.Select(t => string.Join(' ', t)));
        Assert.Equal(expected.WebSeeds, actual.WebSeeds);
        Assert.Equal(expected.AddedTime, actual.AddedTime);
        Assert.Equal(expected.CompletedTime, actual.CompletedTime);
        Assert.Equal(expected.Torrent?.InfoHashes, actual.Torrent?.InfoHashes);
    }

    [Theory]
    [InlineData(TorrentVersion.V1)]
    [InlineData(TorrentVersion.V2)]
    [InlineData(TorrentVersion.Hybrid)]
    public async Task Round_trip_keeps_every_field(TorrentVersion version)
    {
        var t = Make(version);
        await using var storage = await t.FillAsync();
        var data = Sample(t, storage);

        var decoded = ResumeDataSerializer.Decode(ResumeDataSerializer.Encode(data));

        AssertSame(data, decoded);
        Assert.Equal(ResumeDataSerializer.Encode(data), ResumeDataSerializer.Encode(decoded));
        if (version != TorrentVersion.V1)
        {
            // The piece layers came along, so the embedded torrent can verify v2 pieces by itself.
            Assert.Equal(t.Torrent.GetPieceLayer(0).ToArray(), decoded.Torrent!.GetPieceLayer(0).ToArray());
        }
    }

    [Fact]
    public async Task Minimal_resume_data_round_trips_without_optional_fields()
    {
        var t = Make(TorrentVersion.V1);
        await using var storage = new MemoryStorage(t.Torrent);
        var data = new ResumeData { InfoHashes = t.Torrent.InfoHashes, SavePath = "", Pieces = new Bitfield(t.Torrent.PieceCount) };
        var decoded = ResumeDataSerializer.Decode(ResumeDataSerializer.Encode(data));
        AssertSame(data, decoded);
        Assert.Null(decoded.CompletedTime);
        Assert.Null(decoded.Torrent);
    }

    [Fact]
    public async Task Every_truncation_and_seeded_mutation_is_a_TorrentFormatException_or_decodes()
    {
        var t = Make();
        await using var storage = await t.FillAsync();
        var bytes = ResumeDataSerializer.Encode(Sample(t, storage));
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.ThrowsAny<TorrentFormatException>(() => ResumeDataSerializer.Decode(bytes.AsSpan(0, length)));
        }

        var random = new Random(1234);
        for (int round = 0; round < 3000; round++)
        {
            var mutated = (byte[])bytes.Clone();
            int edits = random.Next(1, 4);
            for (int e = 0; e < edits; e++)
            {
                mutated[random.Next(mutated.Length)] = random.Next(3) switch
                {
                    0 => (byte)random.Next(256),
                    1 => (byte)"0123456789ield:"[random.Next(15)],
                    _ => (byte)(mutated[random.Next(mutated.Length)] ^ (1 << random.Next(8))),
                };
            }

            try
            {
                ResumeDataSerializer.Decode(mutated);
            }
            catch (TorrentFormatException)
            {
            }
        }
    }

    [Fact]
    public async Task Validation_trusts_unchanged_files_and_rechecks_a_changed_one()
    {
        var t = Make(TorrentVersion.V1);
        await using var storage = await t.FillAsync();
        var all = new Bitfield(t.Torrent.PieceCount, true);
        var states = ResumeDataStore.CaptureFileStates(storage).ToArray();
        // File 1 (bytes 100,000..120,000) lies in piece 3, shared with files 0 and 2: that piece is checked, the rest trusted.
        states[1] = states[1] with { LastWriteTimeUtc = states[1].LastWriteTimeUtc!.Value.AddSeconds(-5) };
        var blocks = new Bitfield(2);
        blocks[0] = true;
        var data = Sample(t, storage) with { Pieces = all, Files = states, PartialPieces = new Dictionary<int, Bitfield>() };

        var result = ResumeDataStore.Validate(data, t.Torrent, storage);

        Assert.False(result.FullCheckRequired);
        var (first, last) = t.Layout.PiecesOfFile(1);
        for (int piece = 0; piece < t.Torrent.PieceCount; piece++)
        {
            bool ofChangedFile = piece >= first && piece <= last;
            Assert.Equal(!ofChangedFile, result.TrustedPieces[piece]);
            Assert.Equal(ofChangedFile, result.PiecesToCheck[piece]);
        }

        Assert.Single(result.Reasons);
        Assert.Contains("was modified", result.Reasons[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_resized_file_drops_its_partial_blocks_and_others_keep_theirs()
    {
        var t = Make(TorrentVersion.V2);
        await using var storage = await t.FillAsync();
        var states = ResumeDataStore.CaptureFileStates(storage).ToArray();
        states[2] = states[2] with { Length = states[2].Length + 1 };
        var partialOfFile0 = new Bitfield(2, true);
        var partialOfFile2 = new Bitfield(2);
        partialOfFile2[0] = true;
        int pieceOfFile2 = t.Torrent.Files[2].FirstPiece;
        var pieces = new Bitfield(t.Torrent.PieceCount);
        var data = Sample(t, storage) with
        {
            Pieces = pieces,
            Files = states,
            PartialPieces = new Dictionary<int, Bitfield> { [0] = partialOfFile0, [pieceOfFile2] = partialOfFile2 },
        };

        var result = ResumeDataStore.Validate(data, t.Torrent, storage);

        Assert.Equal([0], result.PartialPieces.Keys);
        Assert.True(result.PiecesToCheck[pieceOfFile2]);
        Assert.Equal(1, result.PiecesToCheck.SetCount);
    }

    [Fact]
    public async Task A_missing_file_is_never_trusted()
    {
        var t = Make(TorrentVersion.V1);
        await using var storage = new MemoryStorage(t.Torrent);
        // Recorded as missing and still missing, yet its pieces are claimed: inconsistent, so checked.
        var data = Sample(t, storage) with { Pieces = new Bitfield(t.Torrent.PieceCount, true), PartialPieces = new Dictionary<int, Bitfield>() };
        var result = ResumeDataStore.Validate(data, t.Torrent, storage);
        Assert.True(result.TrustedPieces.NoneSet);
        Assert.True(result.PiecesToCheck.AllSet);
    }

    [Fact]
    public async Task Resume_data_of_another_torrent_or_corrupt_bytes_mean_a_full_check()
    {
        var t = Make();
        var other = CheckTorrentBuilder.Build(TorrentVersion.Hybrid, 32 * 1024, 99, 100_000, 20_000, 70_000);
        await using var storage = await t.FillAsync();
        var foreign = Sample(other, storage, withTorrent: false);
        var result = ResumeDataStore.Validate(foreign, t.Torrent, storage);
        Assert.True(result.FullCheckRequired);
        Assert.True(result.PiecesToCheck.AllSet);
        Assert.True(result.TrustedPieces.NoneSet);

        var bytes = ResumeDataSerializer.Encode(Sample(t, storage));
        var corrupt = ResumeDataStore.Validate(bytes.AsSpan(0, bytes.Length - 7), t.Torrent, storage);
        Assert.True(corrupt.FullCheckRequired);
        Assert.Null(corrupt.Data);
        Assert.NotEqual(ErrorCode.None, corrupt.Error);
        Assert.Single(corrupt.Reasons);
    }

    [Fact]
    public async Task Save_then_load_restores_the_have_bitfield_and_partial_blocks()
    {
        var t = Make();
        await using var storage = await t.FillAsync();
        var data = Sample(t, storage);
        string path = Path.Combine(_folder, "t.resume");

        await ResumeDataStore.SaveAsync(path, data);
        var result = await ResumeDataStore.LoadAsync(path, t.Torrent, storage);

        Assert.False(result.FullCheckRequired);
        Assert.Empty(result.Reasons);
        Assert.Equal(data.Pieces, result.TrustedPieces);
        Assert.True(result.PiecesToCheck.NoneSet);
        Assert.Equal(data.PartialPieces[1], result.PartialPieces[1]);
        AssertSame(data, result.Data!);
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Loading_a_missing_file_asks_for_a_full_check()
    {
        var t = Make();
        await using var storage = new MemoryStorage(t.Torrent);
        var result = await ResumeDataStore.LoadAsync(Path.Combine(_folder, "none.resume"), t.Torrent, storage);
        Assert.True(result.FullCheckRequired);
        Assert.Equal(ErrorCode.FileMissing, result.Error);
    }

    [Fact]
    public async Task A_failed_save_leaves_the_old_file_intact_and_no_temporary_file()
    {
        var t = Make();
        await using var storage = await t.FillAsync();
        string path = Path.Combine(_folder, "t.resume");
        await ResumeDataStore.SaveAsync(path, Sample(t, storage));
        var old = await File.ReadAllBytesAsync(path);

        var next = ResumeDataSerializer.Encode(Sample(t, storage) with { TotalUploaded = 1 });
        var ex = await Assert.ThrowsAsync<StorageException>(() =>
            ResumeDataStore.WriteAtomicAsync(path, next, s => new FailingStream(s, failAfter: 10), CancellationToken.None));

        Assert.Equal(ErrorCode.StorageIo, ex.ErrorCode);
        Assert.Equal(old, await File.ReadAllBytesAsync(path));
        Assert.Single(Directory.GetFiles(_folder));
    }

    /// <summary>Writes a few bytes, then fails like a full disk.</summary>
    private sealed class FailingStream(Stream inner, int failAfter) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await inner.WriteAsync(buffer[..Math.Min(failAfter, buffer.Length)], cancellationToken);
            throw new IOException("No space left on device (simulated)");
        }
    }
}
