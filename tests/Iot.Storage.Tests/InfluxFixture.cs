using Iot.Storage.Influx;

namespace Iot.Storage.Tests;

/// <summary>One influxd for every test class in the "influxd" collection; each test takes its own database.</summary>
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

    /// <summary>A fresh database, created.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test")
    {
        var name = $"{prefix}-{Interlocked.Increment(ref databases)}";
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
