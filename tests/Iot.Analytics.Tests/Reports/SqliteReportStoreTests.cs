using Iot.Analytics.Reports;

namespace Iot.Analytics.Tests.Reports;

public sealed class SqliteReportStoreTests : ReportStoreContract, IDisposable
{
    private readonly TempDirectory directory = new();

    public SqliteReportStoreTests() => Store = new SqliteReportStore(Path.Combine(directory.Path, "reports.db"));

    protected override SqlReportStore Store { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        directory.Dispose();
    }
}
