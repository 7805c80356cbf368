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
        private int databases;

        public async Task InitializeAsync() => postgres = await PostgresServer.StartAsync();

        public async Task<NpgsqlDataSource> CreateDatabaseAsync()
        {
            var name = $"reports_{Interlocked.Increment(ref databases)}";
            await using (var admin = NpgsqlDataSource.Create(postgres.ConnectionString))
            await using (var command = admin.CreateCommand($"CREATE DATABASE {name}"))
            {
                await command.ExecuteNonQueryAsync();
            }

            return NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Database = name }.ConnectionString);
        }

        public async Task DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await postgres.DisposeAsync();
        }
    }
}
