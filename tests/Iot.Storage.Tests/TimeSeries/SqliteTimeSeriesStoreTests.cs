using Iot.Storage.TimeSeries;

namespace Iot.Storage.Tests.TimeSeries;

public sealed class SqliteTimeSeriesStoreTests : TimeSeriesStoreContract, IAsyncLifetime
{
    private readonly TempDirectory directory = new();
    private readonly ManualTimeProvider clock = new(Start.AddDays(10));
    private SqliteTimeSeriesStore store = null!;
    private int namespaces;

    protected override ITimeSeriesStore Store => store;

    public Task InitializeAsync()
    {
        store = SqliteTimeSeriesStore.Open(new SqliteTimeSeriesOptions { Path = Path.Combine(directory.Path, "telemetry.db") }, clock);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Retention_deletes_only_the_rooms_points_older_than_it_keeps()
    {
        var ns = await NewNamespaceAsync("lab-1", "lab-2");
        await store.WriteAsync([Point(ns, "d1", "lab-1", 0, ("temperature", 1.0))]);
        await store.WriteAsync([Point(ns, "d1", "lab-1", 0, ("temperature", 1.0)) with { Timestamp = clock.GetUtcNow().AddDays(-1) }]);
        await store.WriteAsync([Point(ns, "d2", "lab-2", 0, ("temperature", 2.0))]);
        await store.FlushAsync();

        var deleted = await store.DeleteOlderThanAsync(ns, "lab-1", TimeSpan.FromDays(7));

        Assert.Equal(1, deleted);
        var kept = Assert.Single(await store.QueryRawAsync(new RawQuery(ns, "d1", "lab-1", Start, clock.GetUtcNow())));
        Assert.Equal(clock.GetUtcNow().AddDays(-1), kept.Timestamp);
        Assert.Single(await store.QueryRawAsync(new RawQuery(ns, "d2", "lab-2", Start, clock.GetUtcNow())));
    }

    [Fact]
    public async Task Points_survive_reopening_the_file()
    {
        var ns = await NewNamespaceAsync("lab-1");
        await store.WriteAsync([Point(ns, "d1", "lab-1", 0, ("temperature", 1.0))]);
        await store.DisposeAsync();

        store = SqliteTimeSeriesStore.Open(new SqliteTimeSeriesOptions { Path = Path.Combine(directory.Path, "telemetry.db") }, clock);

        Assert.Single(await store.QueryRawAsync(new RawQuery(ns, "d1", "lab-1", Start, Start.AddHours(1))));
    }

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory.Dispose();
    }

    protected override Task<string> NewNamespaceAsync(params string?[] rooms) => Task.FromResult($"ns-{Interlocked.Increment(ref namespaces)}");

    protected override Task MaterializeRollupAsync(string ns, string room, TimeSpan every, DateTimeOffset from, DateTimeOffset to) => Task.CompletedTask;
}
