using Iot.Storage.Influx;

namespace Iot.Analytics.Tests.Influx;

/// <summary>One influxd for the "influxd" collection; each test takes its own database (= namespace).</summary>
public sealed class InfluxFixture : IAsyncLifetime
{
    private int databases;

    public InfluxDbServer Server { get; private set; } = null!;

    public InfluxClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await InfluxDbServer.StartAsync();
        Client = new InfluxClient(new InfluxOptions { Url = Server.Url });
    }

    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"ns-{Interlocked.Increment(ref databases)}";
        await Client.CreateDatabaseAsync(name);
        return name;
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class InfluxCollection : ICollectionFixture<InfluxFixture>
{
    public const string Name = "influxd";
}
