using Iot.Storage.Events;

namespace Iot.Notify.Tests.Storage;

public sealed class SqliteEventStoreTests : EventStoreContract, IDisposable
{
    private readonly TempDirectory directory = new();

    protected override Task<IEventStore> CreateStoreAsync() => Task.FromResult<IEventStore>(new SqliteEventStore(Path.Combine(directory.Path, "notify.db")));

    public void Dispose() => directory.Dispose();
}
