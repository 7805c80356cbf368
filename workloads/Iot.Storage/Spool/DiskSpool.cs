using System.Buffers.Binary;
using System.Globalization;
using System.Text;

using Iot.Storage.Influx;

namespace Iot.Storage.Spool;

/// <summary>
/// A bounded, durable FIFO of write batches on disk, used while InfluxDB cannot be reached.
/// </summary>
/// <remarks>
/// Layout: append-only segment files <c>&lt;sequence&gt;.segment</c> in one directory, each a run of length-prefixed
/// records (a batch's database, retention policy, precision, point count and line protocol), and a <c>checkpoint</c>
/// file naming the first record not yet acknowledged (segment and offset), replaced atomically by rename.
/// Durability: every appended batch is flushed and fsync'd before <see cref="Append"/> returns. The checkpoint is not
/// fsync'd: after a crash it may point at a record that was already sent, which is then sent again; InfluxDB stores
/// a point by series and timestamp, so resending identical points overwrites them and nothing is duplicated (every
/// point the writer spools has an explicit timestamp). A record cut short by a crash is cut off when the spool opens.
/// Bound: when an append would take the files past the bound, whole segments are dropped from the oldest end and
/// their unsent points reported. Not thread-safe: one writer loop owns it.
/// </remarks>
internal sealed class DiskSpool : IDisposable
{
    private const string SegmentExtension = ".segment";
    private const byte FormatVersion = 1;

    private readonly string directory;
    private readonly long maxBytes;
    private readonly long segmentBytes;
    private readonly List<Segment> segments = [];
    private long headOffset;
    private long nextSequence;
    private long bytes;
    private FileStream? tail;
    private (SpooledBatch Batch, long Length)? peeked;

    private DiskSpool(string directory, long maxBytes, long segmentBytes)
    {
        this.directory = directory;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
    }

    /// <summary>Bytes the spool's segment files take on disk (the metric <c>iot_storage_spool_bytes</c>).</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>True when every spooled batch has been acknowledged.</summary>
    public bool IsEmpty => segments.Count == 0;

    /// <summary>Points spooled and not yet acknowledged.</summary>
    public long Points => segments.Sum(s => s.Points);

    /// <summary>Opens (or creates) the spool in <paramref name="directory"/>, recovering what a previous process left.</summary>
    public static DiskSpool Open(string directory, long maxBytes, long segmentBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(segmentBytes, 1024);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, segmentBytes);
        Directory.CreateDirectory(directory);
        var spool = new DiskSpool(directory, maxBytes, segmentBytes);
        spool.Recover();
        return spool;
    }

    /// <summary>Appends a batch durably; returns the points dropped to stay within the bound (oldest first).</summary>
    public long Append(SpooledBatch batch)
    {
        var record = Serialize(batch);
        if (record.Length > maxBytes)
        {
            return batch.Points;
        }

        var dropped = 0L;
        while (segments.Count > 0 && Bytes + record.Length > maxBytes)
        {
            dropped += DropOldestSegment();
        }

        if (tail is null || segments[^1].Length >= segmentBytes)
        {
            StartSegment();
        }

        tail!.Write(record);
        tail.Flush(flushToDisk: true);
        var segment = segments[^1];
        segment.Length += record.Length;
        segment.Points += batch.Points;
        Interlocked.Add(ref bytes, record.Length);
        return dropped;
    }

    /// <summary>The oldest unacknowledged batch, or null when the spool is empty.</summary>
    public SpooledBatch? Peek()
    {
        if (peeked is { } cached)
        {
            return cached.Batch;
        }

        if (segments.Count == 0)
        {
            return null;
        }

        using var file = new FileStream(segments[0].Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        file.Position = headOffset;
        var (batch, length) = ReadRecord(file) ?? throw new InvalidDataException($"Spool segment {segments[0].Path} is unreadable at offset {headOffset}.");
        peeked = (batch, length);
        return batch;
    }

    /// <summary>Marks the batch <see cref="Peek"/> returned as sent (or given up on), so it is not replayed.</summary>
    public void Ack()
    {
        var (batch, length) = peeked ?? throw new InvalidOperationException("Ack without Peek.");
        peeked = null;
        var head = segments[0];
        headOffset += length;
        head.Points -= batch.Points;
        if (headOffset >= head.Length)
        {
            RemoveSegment(0);
        }

        WriteCheckpoint();
    }

    /// <inheritdoc/>
    public void Dispose() => tail?.Dispose();

    private long DropOldestSegment()
    {
        var dropped = segments[0].Points;
        RemoveSegment(0);
        WriteCheckpoint();
        return dropped;
    }

    private void RemoveSegment(int index)
    {
        var segment = segments[index];
        if (index == segments.Count - 1)
        {
            tail?.Dispose();
            tail = null;
        }

        File.Delete(segment.Path);
        segments.RemoveAt(index);
        Interlocked.Add(ref bytes, -segment.Length);
        if (index == 0)
        {
            headOffset = 0;
            peeked = null;
        }
    }

    private void StartSegment()
    {
        tail?.Dispose();
        var segment = new Segment(nextSequence++, 0, 0, Path.Combine(directory, $"{nextSequence - 1:D20}{SegmentExtension}"));
        tail = new FileStream(segment.Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
        segments.Add(segment);
    }

    private void WriteCheckpoint()
    {
        var sequence = segments.Count > 0 ? segments[0].Sequence : nextSequence;
        var temporary = Path.Combine(directory, "checkpoint.tmp");
        File.WriteAllText(temporary, string.Create(CultureInfo.InvariantCulture, $"{sequence} {headOffset}"));
        File.Move(temporary, Path.Combine(directory, "checkpoint"), overwrite: true);
    }

    private (long Sequence, long Offset) ReadCheckpoint()
    {
        var file = Path.Combine(directory, "checkpoint");
        if (!File.Exists(file))
        {
            return (0, 0);
        }

        var parts = File.ReadAllText(file).Split(' ');
        return parts.Length == 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var sequence) && long.TryParse(parts[1], CultureInfo.InvariantCulture, out var offset)
            ? (sequence, offset)
            : (0, 0);
    }

    // Segments older than the checkpoint were acknowledged; a record cut short (a crash mid-append) ends its segment.
    private void Recover()
    {
        var (checkpointSequence, checkpointOffset) = ReadCheckpoint();
        var found = Directory.EnumerateFiles(directory, "*" + SegmentExtension)
            .Select(path => (Path: path, Sequence: long.TryParse(Path.GetFileNameWithoutExtension(path), CultureInfo.InvariantCulture, out var s) ? s : -1))
            .Where(f => f.Sequence >= 0)
            .OrderBy(f => f.Sequence);
        nextSequence = checkpointSequence;
        foreach (var (path, sequence) in found)
        {
            nextSequence = Math.Max(nextSequence, sequence + 1);
            if (sequence < checkpointSequence)
            {
                File.Delete(path);
                continue;
            }

            var start = sequence == checkpointSequence ? checkpointOffset : 0;
            var segment = new Segment(sequence, 0, 0, path);
            using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
            {
                var offset = 0L;
                while (ReadRecord(file) is { } record)
                {
                    offset += record.Length;
                    if (offset > start)
                    {
                        segment.Points += record.Batch.Points;
                    }
                }

                file.SetLength(offset);
                segment.Length = offset;
            }

            if (segment.Length <= start)
            {
                File.Delete(path);
                continue;
            }

            if (segments.Count == 0)
            {
                headOffset = start;
            }

            segments.Add(segment);
            bytes += segment.Length;
        }
    }

    private static byte[] Serialize(SpooledBatch batch)
    {
        var database = Encoding.UTF8.GetBytes(batch.Database);
        var policy = Encoding.UTF8.GetBytes(batch.RetentionPolicy ?? "");
        // length, version, precision, points, database length + bytes, policy length + bytes, lines length + bytes
        var length = 4 + 1 + 1 + 4 + 2 + database.Length + 2 + policy.Length + 4 + batch.Lines.Length;
        var record = new byte[length];
        var span = record.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, length);
        span[4] = FormatVersion;
        span[5] = (byte)batch.Precision;
        BinaryPrimitives.WriteInt32LittleEndian(span[6..], batch.Points);
        var at = 10;
        foreach (var text in new[] { database, policy })
        {
            BinaryPrimitives.WriteUInt16LittleEndian(span[at..], checked((ushort)text.Length));
            text.CopyTo(span[(at + 2)..]);
            at += 2 + text.Length;
        }

        BinaryPrimitives.WriteInt32LittleEndian(span[at..], batch.Lines.Length);
        batch.Lines.Span.CopyTo(span[(at + 4)..]);
        return record;
    }

    // Null at the end of the file or at a record that is incomplete or malformed.
    private static (SpooledBatch Batch, long Length)? ReadRecord(FileStream file)
    {
        Span<byte> prefix = stackalloc byte[4];
        var start = file.Position;
        if (file.Read(prefix) < 4)
        {
            file.Position = start;
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length < 18 || length > file.Length - start)
        {
            file.Position = start;
            return null;
        }

        var record = new byte[length];
        prefix.CopyTo(record);
        file.ReadExactly(record, 4, length - 4);
        try
        {
            var span = record.AsSpan();
            if (span[4] != FormatVersion)
            {
                throw new InvalidDataException();
            }

            var precision = (InfluxPrecision)span[5];
            var points = BinaryPrimitives.ReadInt32LittleEndian(span[6..]);
            var at = 10;
            var texts = new string[2];
            for (var i = 0; i < 2; i++)
            {
                var size = BinaryPrimitives.ReadUInt16LittleEndian(span[at..]);
                texts[i] = Encoding.UTF8.GetString(span.Slice(at + 2, size));
                at += 2 + size;
            }

            var linesLength = BinaryPrimitives.ReadInt32LittleEndian(span[at..]);
            if (at + 4 + linesLength != length)
            {
                throw new InvalidDataException();
            }

            var batch = new SpooledBatch(texts[0], texts[1].Length == 0 ? null : texts[1], precision, points, record.AsMemory(at + 4, linesLength));
            return (batch, length);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException)
        {
            file.Position = start;
            return null;
        }
    }

    private sealed class Segment(long sequence, long length, long points, string path)
    {
        public long Sequence { get; } = sequence;

        public string Path { get; } = path;

        public long Length { get; set; } = length;

        public long Points { get; set; } = points;
    }
}
