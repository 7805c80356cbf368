using Microsoft.Extensions.Hosting;

namespace Iot.Analytics.Reports;

/// <summary>Brings the report store's schema up to date at start-up, before the API serves (start-up fails when the store cannot be reached).</summary>
internal sealed class ReportStoreMigration(IReportStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.MigrateAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
