using Iot.Notify.Tests.Support;
using Iot.Storage.Events;

namespace Iot.Notify.Tests.Storage;

[Collection(PostgresCollection.Name)]
public sealed class PostgresEventStoreTests(PostgresFixture postgres) : EventStoreContract
{
    protected override async Task<IEventStore> CreateStoreAsync() => new PostgresEventStore(await postgres.Server.CreateDatabaseAsync("store"));

    [Fact]
    public async Task Two_processes_migrating_at_once_apply_each_migration_once()
    {
        var connection = await postgres.Server.CreateDatabaseAsync("race");
        await using var a = new PostgresEventStore(connection);
        await using var b = new PostgresEventStore(connection);

        await Task.WhenAll(a.MigrateAsync(), b.MigrateAsync());

        Assert.Equal(1, await a.SchemaVersionAsync());
    }
}
