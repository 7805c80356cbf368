using System.Diagnostics.Metrics;

namespace Iot.Cli.Dev;

/// <summary>
/// Reads the summary figures from the in-process components' instruments (every host in the process, whatever its
/// namespace): counters are accumulated as they are recorded, observable instruments read on each <see cref="Read"/>.
/// </summary>
internal sealed class DevMetrics : IDisposable
{
    private const string Connections = "iot_broker_connections";
    private const string Received = "iot_broker_messages_received_total";
    private const string Firings = "iot_rules_firings_total";
    private const string Deliveries = "iot_notify_deliveries_total";
    private const string Telemetry = "iot_ingest_messages_total";
    private static readonly HashSet<string> Names = [Connections, Received, Firings, Deliveries, Telemetry];

    private readonly MeterListener listener = new();
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly Dictionary<string, long> counted = [];
    private readonly Dictionary<string, long> observed = [];
    private long lastReceived;
    private long lastRead;

    public DevMetrics(TimeProvider time)
    {
        this.time = time;
        lastRead = time.GetTimestamp();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (Names.Contains(instrument.Name) && instrument.Meter.Name.StartsWith(Hosting.IotHost.MeterPrefix, StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();
    }

    /// <summary>The figures now; messages per second over the time since the previous call.</summary>
    public DevSummary Read()
    {
        lock (gate)
        {
            observed.Clear();
            listener.RecordObservableInstruments();
            var now = time.GetTimestamp();
            var seconds = time.GetElapsedTime(lastRead, now).TotalSeconds;
            var received = Get(counted, Received);
            var rate = seconds > 0 ? (received - lastReceived) / seconds : 0;
            (lastReceived, lastRead) = (received, now);
            return new DevSummary(Get(observed, Connections), rate, Get(observed, Firings), Get(counted, Deliveries), Get(counted, Telemetry));
        }
    }

    public void Dispose() => listener.Dispose();

    private static long Get(Dictionary<string, long> values, string name) => values.GetValueOrDefault(name);

    private void Record(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (instrument.Name)
        {
            case Connections when !Has(tags, "kind", "device"):
            case Deliveries when !Has(tags, "result", "delivered"):
            case Telemetry when !Has(tags, "result", "accepted"):
                return;
            default:
                break;
        }

        lock (gate)
        {
            var values = instrument.IsObservable ? observed : counted;
            values[instrument.Name] = values.GetValueOrDefault(instrument.Name) + value;
        }
    }

    private static bool Has(ReadOnlySpan<KeyValuePair<string, object?>> tags, string key, string value)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == key && tag.Value is string s && s == value)
            {
                return true;
            }
        }

        return false;
    }
}
