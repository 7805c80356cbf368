namespace Iot.Analytics.Reports;

/// <summary>Where reports are kept (<see cref="PostgresReportStore"/> in production, <see cref="SqliteReportStore"/> embedded).</summary>
public interface IReportStore
{
    /// <summary>Brings the schema to the latest version (applied at start-up; safe to call from several replicas at once).</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores a new report.</summary>
    Task SaveAsync(Report report, CancellationToken cancellationToken = default);

    /// <summary>The report with this id in <paramref name="ns"/>, or null.</summary>
    Task<Report?> GetAsync(string ns, string id, CancellationToken cancellationToken = default);
}
