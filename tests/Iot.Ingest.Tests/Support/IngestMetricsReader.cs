using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

using Microsoft.Extensions.DependencyInjection;

namespace Iot.Ingest.Tests.Support;

/// <summary>Sums what the instruments of one host's <see cref="IMeterFactory"/> (and only those) record, by instrument and result label.</summary>
public sealed class IngestMetricsReader : IDisposable
{
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string? Result), double> sums = new();

    public IngestMetricsReader(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
    }

    /// <summary>The sum of an instrument's measurements, of those with label result=<paramref name="result"/> when one is named.</summary>
    public double Sum(string instrument, string? result = null) => sums.GetValueOrDefault((instrument, result));

    /// <summary>iot_ingest_messages_total{result}.</summary>
    public long Messages(string result) => (long)Sum("iot_ingest_messages_total", result);

    public void Dispose() => listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        sums.AddOrUpdate((instrument.Name, null), value, (_, sum) => sum + value);
        foreach (var tag in tags)
        {
            if (tag.Key is "result" or "kind")
            {
                sums.AddOrUpdate((instrument.Name, tag.Value as string), value, (_, sum) => sum + value);
            }
        }
    }
}
