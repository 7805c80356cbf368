using Iot.Analytics.Reports;

using Npgsql;

namespace Iot.Analytics.Tests.Reports;

/// <summary>The report store over a real PostgreSQL; each test gets its own database.</summary>
public sealed class PostgresReportStoreTests(PostgresReportStoreTests.Server server) : ReportStoreContract, IClassFixture<PostgresReportStoreTests.Server>, IAsyncLifetime
{
    private NpgsqlDataSource? dataSource;

    protected override SqlReportStore Store => new PostgresReportStore(dataSource!);

    public async Task InitializeAsync() => dataSource = await server.CreateDatabaseAsync();

    public async Task DisposeAsync() => await dataSource!.DisposeAsync();

    public sealed class Server : IAsyncLifetime
    {
        private PostgresServer postgres = null!;

        public async Task InitializeAsync() => postgres = await PostgresServer.StartAsync();

        public async Task<NpgsqlDataSource> CreateDatabaseAsync() => NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync("reports"));

        public async Task DisposeAsync() => await postgres.DisposeAsync();
    }
}
