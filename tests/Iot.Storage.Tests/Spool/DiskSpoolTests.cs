using System.Text;

using Iot.Storage.Influx;
using Iot.Storage.Spool;

namespace Iot.Storage.Tests.Spool;

public sealed class DiskSpoolTests : IDisposable
{
    private readonly TempDirectory directory = new();

    [Fact]
    public void Batches_come_back_oldest_first_across_segments()
    {
        using var spool = DiskSpool.Open(directory.Path, 1 << 20, 1024);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(0, spool.Append(Batch(i, 100)));
        }

        Assert.Equal(Enumerable.Range(0, 20), Drain(spool));
        Assert.True(spool.IsEmpty);
        Assert.Equal(0, spool.Bytes);
        Assert.Empty(Directory.GetFiles(directory.Path, "*.segment"));
    }

    [Fact]
    public void What_was_not_acknowledged_survives_a_restart_and_what_was_is_not_replayed()
    {
        using (var spool = DiskSpool.Open(directory.Path, 1 << 20, 1024))
        {
            for (var i = 0; i < 10; i++)
            {
                spool.Append(Batch(i, 100));
            }

            for (var i = 0; i < 4; i++)
            {
                spool.Peek();
                spool.Ack();
            }
        }

        using var reopened = DiskSpool.Open(directory.Path, 1 << 20, 1024);
        Assert.Equal(6, reopened.Points);
        reopened.Append(Batch(10, 100));
        Assert.Equal(Enumerable.Range(4, 7), Drain(reopened));
    }

    [Fact]
    public void A_record_cut_short_by_a_crash_is_cut_off_and_the_rest_is_kept()
    {
        using (var spool = DiskSpool.Open(directory.Path, 1 << 20, 1 << 16))
        {
            spool.Append(Batch(0, 100));
            spool.Append(Batch(1, 100));
        }

        var segment = Assert.Single(Directory.GetFiles(directory.Path, "*.segment"));
        using (var file = new FileStream(segment, FileMode.Open))
        {
            file.SetLength(file.Length - 7);
        }

        using var reopened = DiskSpool.Open(directory.Path, 1 << 20, 1 << 16);
        Assert.Equal([0], Drain(reopened));
    }

    [Fact]
    public void Past_its_bound_the_spool_drops_its_oldest_segments_and_counts_their_points()
    {
        using var spool = DiskSpool.Open(directory.Path, 4096, 1024);
        long dropped = 0;
        for (var i = 0; i < 40; i++)
        {
            dropped += spool.Append(Batch(i, 200));
        }

        Assert.True(spool.Bytes <= 4096, $"the spool holds {spool.Bytes} bytes, over its bound of 4096");
        var kept = Drain(spool);
        Assert.Equal(40 - kept.Count, dropped);
        Assert.Equal(Enumerable.Range(40 - kept.Count, kept.Count), kept);
    }

    public void Dispose() => directory.Dispose();

    // A batch whose line protocol says which it is; its point count is its number plus one so counts add up per batch.
    private static SpooledBatch Batch(int number, int size)
    {
        var lines = Encoding.UTF8.GetBytes($"m v={number}\n".PadRight(size, ' '));
        return new SpooledBatch("db", number % 2 == 0 ? "rp" : null, InfluxPrecision.Nanoseconds, 1, lines);
    }

    private static List<int> Drain(DiskSpool spool)
    {
        var numbers = new List<int>();
        while (spool.Peek() is { } batch)
        {
            var text = Encoding.UTF8.GetString(batch.Lines.Span).Trim();
            numbers.Add(int.Parse(text["m v=".Length..], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(numbers[^1] % 2 == 0 ? "rp" : null, batch.RetentionPolicy);
            spool.Ack();
        }

        return numbers;
    }
}
