using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Iot.Storage.Tests.TimeSeries;

public sealed class TimeSeriesRegistrationTests
{
    [Fact]
    public async Task Without_an_influxdb_url_the_store_is_the_embedded_sqlite_file()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "t.db");
        await using (var services = Build(new() { ["TimeSeries:Sqlite:Path"] = path }))
        {
            Assert.IsType<SqliteTimeSeriesStore>(services.GetRequiredService<ITimeSeriesStore>());
        }

        Assert.True(File.Exists(path));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task With_an_influxdb_url_the_store_writes_through_the_batched_writer_with_the_configured_settings()
    {
        using var spool = new TempDirectory();
        await using var services = Build(new()
        {
            ["TimeSeries:Influx:Url"] = "http://127.0.0.1:1",
            ["TimeSeries:Influx:Timeout"] = "00:00:03",
            ["TimeSeries:Writer:BatchSize"] = "123",
            ["TimeSeries:Writer:SpoolDirectory"] = spool.Path,
        });

        Assert.IsType<InfluxTimeSeriesStore>(services.GetRequiredService<ITimeSeriesStore>());
        Assert.Equal(TimeSpan.FromSeconds(3), services.GetRequiredService<InfluxClient>().Options.Timeout);
        Assert.Equal(0, services.GetRequiredService<InfluxPointWriter>().SpoolBytes);
    }

    [Fact]
    public void An_influxdb_url_that_is_not_http_is_refused_with_the_setting_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new() { ["TimeSeries:Influx:Url"] = "influxdb:8086" }));

        Assert.Contains("TimeSeries:Influx:Url", error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddLogging()
            .AddIotTimeSeriesStore(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();
}
