using System.Diagnostics.Metrics;

namespace Iot.Analytics;

/// <summary>The analytics workload's instruments (meter <c>Iot.Analytics</c>), in their Prometheus names.</summary>
public sealed class AnalyticsMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Iot.Analytics";

    private readonly Counter<long> telemetry;
    private readonly Histogram<double> storeQueries;

    public AnalyticsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        telemetry = meter.CreateCounter<long>("iot_analytics_telemetry_messages_total", description: "Telemetry messages received for live metrics, by result (accepted, malformed).");
        storeQueries = meter.CreateHistogram<double>("iot_analytics_store_query_seconds", "s", "Time-series store queries, by level read (raw, rollup).");
    }

    /// <summary>Counts a telemetry message.</summary>
    public void TelemetryReceived(string result) => telemetry.Add(1, new KeyValuePair<string, object?>("result", result));

    /// <summary>Records a store query.</summary>
    public void StoreQueried(string level, TimeSpan elapsed) => storeQueries.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("level", level));
}
