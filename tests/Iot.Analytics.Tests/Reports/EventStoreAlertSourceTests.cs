using Iot.Analytics.Alerts;
using Iot.Storage.Events;

using Microsoft.Extensions.Options;

namespace Iot.Analytics.Tests.Reports;

/// <summary>Alert counts from notify's event store (SQLite, written the way notify writes it).</summary>
public sealed class EventStoreAlertSourceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory directory = new();
    private SqliteEventStore store = null!;

    public async Task InitializeAsync()
    {
        store = new SqliteEventStore(Path.Combine(directory.Path, "events.db"));
        await store.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await store.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory.Dispose();
    }

    [Fact]
    public async Task Active_alerts_are_the_namespaces_firing_ones_and_firings_are_counted_per_room_in_the_period()
    {
        await FireAsync("hot", "t1", "lab-1", Start.AddHours(1));
        await FireAsync("hot", "t2", "lab-1", Start.AddHours(2));
        await ResolveAsync("hot", "t2", "lab-1", Start.AddHours(2), Start.AddHours(3));
        await FireAsync("hot", "t2", "lab-1", Start.AddHours(4));
        await FireAsync("dry", "h1", "hall", Start.AddHours(5));
        await FireAsync("dry", "h1", "hall", Start.AddDays(2));
        await FireAsync("hot", "x1", "lab-1", Start.AddHours(1), ns: "other");

        var source = new EventStoreAlertSource(store, Options.Create(new AnalyticsOptions { Namespace = AnalyticsHost.Namespace }));

        Assert.Equal(3, await source.CountActiveAsync());
        var fired = await source.CountFiredByRoomAsync(Start, Start.AddDays(1));
        Assert.Equal(3, fired["lab-1"]);
        Assert.Equal(1, fired["hall"]);
        Assert.Equal("notify", source.Name);
    }

    private Task FireAsync(string rule, string device, string room, DateTimeOffset at, string ns = AnalyticsHost.Namespace) =>
        SaveAsync(rule, device, room, "firing", at, null, ns);

    private Task ResolveAsync(string rule, string device, string room, DateTimeOffset startsAt, DateTimeOffset at) =>
        SaveAsync(rule, device, room, "resolved", startsAt, at, AnalyticsHost.Namespace);

    private Task SaveAsync(string rule, string device, string room, string status, DateTimeOffset startsAt, DateTimeOffset? endsAt, string ns)
    {
        var fingerprint = Iot.Api.Alerts.AlertEvent.FingerprintOf(ns, rule, device);
        var at = endsAt ?? startsAt;
        return store.SaveAlertAsync(
            new StoredAlert { Fingerprint = fingerprint, Namespace = ns, Rule = rule, Device = device, Room = room, Status = status, StartsAt = startsAt, EndsAt = endsAt, UpdatedAt = at },
            new EventRecord { At = at, Type = "alert." + status, Fingerprint = fingerprint, Rule = rule, Device = device, Message = $"{rule} {status} for {device}" });
    }
}
