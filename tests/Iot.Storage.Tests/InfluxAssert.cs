using Iot.Storage.Influx;

namespace Iot.Storage.Tests;

/// <summary>Waiting for what a background writer puts into InfluxDB.</summary>
internal static class InfluxAssert
{
    /// <summary>SELECT count(<paramref name="field"/>) FROM <paramref name="from"/>: 0 when there is nothing.</summary>
    public static async Task<long> CountAsync(InfluxClient client, string database, string from, string field = "v")
    {
        var series = await client.QueryAsync(database, $"SELECT count({InfluxQL.Identifier(field)}) FROM {from}");
        return series is [{ Values: [var row] }] ? (long)row[1]! : 0;
    }

    /// <summary>Polls until the count is <paramref name="expected"/> (failing after 30 s with the last count seen).</summary>
    public static async Task EventuallyCountAsync(InfluxClient client, string database, string from, long expected, string field = "v")
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        long count;
        while ((count = await CountAsync(client, database, from, field)) != expected && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(expected, count);
    }
}
