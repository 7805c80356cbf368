using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

using Microsoft.Extensions.DependencyInjection;

namespace Iot.Storage.Tests;

/// <summary>Collects what instruments created through <see cref="Factory"/> (and only those) record.</summary>
public sealed class MetricsRecorder : IDisposable
{
    private readonly ServiceProvider services;
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Instrument, string? Reason), double> sums = new();
    private readonly ConcurrentDictionary<string, double> last = new();

    public MetricsRecorder()
    {
        services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        Factory = services.GetRequiredService<IMeterFactory>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == Factory)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) => Record(i, v, tags));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Record(i, v, tags));
        listener.Start();
    }

    public IMeterFactory Factory { get; }

    /// <summary>The sum of a counter's (or histogram's) measurements, with the given reason label when one is named.</summary>
    public double Sum(string instrument, string? reason = null) => sums.GetValueOrDefault((instrument, reason));

    /// <summary>A gauge's current value.</summary>
    public double Gauge(string instrument)
    {
        listener.RecordObservableInstruments();
        return last.GetValueOrDefault(instrument);
    }

    public void Dispose()
    {
        listener.Dispose();
        services.Dispose();
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? reason = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "reason")
            {
                reason = tag.Value as string;
            }
        }

        last[instrument.Name] = value;
        sums.AddOrUpdate((instrument.Name, null), value, (_, sum) => sum + value);
        if (reason is not null)
        {
            sums.AddOrUpdate((instrument.Name, reason), value, (_, sum) => sum + value);
        }
    }
}
