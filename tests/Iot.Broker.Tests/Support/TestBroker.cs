using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

using Iot.Api.Devices;
using Iot.Broker.Registry;
using Iot.Broker.Status;

using Microsoft.Extensions.Logging.Abstractions;

namespace Iot.Broker.Tests.Support;

/// <summary>Our broker in-process on a free loopback port, over an in-memory registry, with its metrics recorded.</summary>
internal sealed class TestBroker : IAsyncDisposable
{
    public const string InternalPassword = "internal-secret";

    private readonly Meter meter = new(Iot.Broker.Metrics.BrokerMetrics.MeterName);
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<string, long> counters = new();
    private readonly IDeviceRegistry registry;

    private TestBroker(BrokerOptions options, IDeviceRegistry registry, IConnectionStatusSink? sink)
    {
        Options = options;
        this.registry = registry;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var key = instrument.Name + string.Concat(tags.ToArray().Select(t => $"|{t.Key}={t.Value}"));
            counters.AddOrUpdate(key, value, (_, old) => old + value);
        });
        listener.Start();
        Broker = new MqttBroker(options, registry, sink, meter, NullLogger<MqttBroker>.Instance);
    }

    public BrokerOptions Options { get; }

    public InMemoryDeviceRegistry Registry => registry as InMemoryDeviceRegistry ?? throw new InvalidOperationException("not an in-memory registry");

    public MqttBroker Broker { get; }

    public int Port => Options.Port;

    public static async Task<TestBroker> StartAsync(Action<BrokerOptions>? configure = null, IConnectionStatusSink? sink = null, IDeviceRegistry? registry = null)
    {
        var options = new BrokerOptions
        {
            BindAddress = "127.0.0.1",
            Port = FreePort.Next(),
            TlsPort = 0,
            InternalPassword = InternalPassword,
            Registry = DeviceRegistryMode.Memory,
            PublishRateLimit = 0,
        };
        configure?.Invoke(options);
        var broker = new TestBroker(options, registry ?? new InMemoryDeviceRegistry(), sink);
        await broker.Broker.StartAsync();
        return broker;
    }

    /// <summary>Adds a password-mode device and returns its password (hashed with few rounds: tests, not security).</summary>
    public string AddDevice(string id, bool disabled = false)
    {
        var password = $"pw-{id}";
        Registry.Set(new DeviceRecord(id, DeviceAuthMode.Password, DeviceCredentials.Hash(password, iterations: 10), disabled));
        return password;
    }

    /// <summary>The sum of a counter, optionally of one label value ("reason=oversize").</summary>
    public long Counter(string name, string? label = null)
    {
        listener.RecordObservableInstruments();
        return counters.Where(c => c.Key.Split('|')[0] == name && (label is null || c.Key.Split('|').Skip(1).Contains(label))).Sum(c => c.Value);
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        listener.Dispose();
        meter.Dispose();
    }
}
