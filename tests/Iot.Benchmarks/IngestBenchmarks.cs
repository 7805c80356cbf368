using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

using Iot.Api.Common;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Ingest;
using Iot.Kube;
using Iot.LocalCluster;
using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;
using Iot.Testing;

using k8s;
using k8s.Models;

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Iot.Benchmarks;

/// <summary>
/// Issue 6 (b) and (c), end to end through real brokers, the ingest workload in this process (its real hosting:
/// informers on the local API server, MQTT, the InfluxDB writer) and a real influxd.
/// (b) drain, through Mosquitto 2.0: messages/s from a backlog of QoS 1 messages waiting in ingest's persistent session
/// until every point is in InfluxDB (zero loss checked by a count), beside influxd's own ceiling in the same run: the
/// same points, encoded beforehand, written directly in 10,000-line requests two at a time. Goal: ratio ≥ 0.8.
/// (b) live, through our broker (a child process, <see cref="BrokerBenchmarks.StartChildAsync"/>) and through Mosquitto
/// side by side: 1,000 devices, one MQTT connection each with its own credentials, publish QoS 1 (a bounded number in
/// flight) while ingest, connected with the internal credentials, consumes <c>$share/ingest/devices/+/telemetry</c>;
/// messages/s from the first publish until the last point is written to InfluxDB (zero loss checked by a count). Beside
/// it: the publishers' own rate, CPU per 1,000 messages of the broker, of this process (load generator and ingest) and
/// of influxd, and the load generator's ceiling alone (the same connections into Mosquitto with nobody subscribed).
/// (c) Telemetry-to-alert latency, through Mosquitto: a device alternates a value above and below a threshold (no hold
/// time), so each message fires or resolves an alert; from the device's publish to the alert event's arrival at a
/// subscriber of <c>_iot/alerts/#</c>. Goal: p99 &lt; 50 ms.
/// </summary>
internal static class IngestBenchmarks
{
    private const string Namespace = "bench";
    private const int Devices = 1_000;
    private const int Messages = 200_000;
    private const int WarmUpMessages = 20_000;
    private const int Publishers = 4;
    private const int InFlightPerPublisher = 128;
    private const int Alerts = 2_000;
    private const int LiveMessages = 100_000;
    private const int LiveWarmUpMessages = 10_000;
    private const int LiveInFlight = 512;
    private const int GeneratorCeilingMessages = 50_000;

    public static async Task RunAsync(BenchmarkTable table)
    {
        await using var influx = await InfluxDbServer.StartAsync();
        using var influxClient = new InfluxClient(new InfluxOptions { Url = influx.Url, Timeout = TimeSpan.FromSeconds(60), Gzip = false });
        // Queues large enough that nothing is dropped while ingest catches up (Mosquitto's default queues 1,000), and no
        // in-flight cap of its own (ingest's receive maximum applies).
        await using var broker = await MosquittoServer.StartAsync(["max_queued_messages 1000000", "max_inflight_messages 0", "set_tcp_nodelay true"]);
        await using var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds") });
        using var kube = cluster.CreateClient();
        await PrepareAsync(kube, influxClient);
        var start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(-1);

        // Messages published while ingest is stopped wait in its persistent session; the clock runs from the first
        // message ingest takes after its (re)start until the last is flushed to InfluxDB. So the figure is ingest's
        // (with the broker delivering as fast as ingest acknowledges), not the load generator's: the publishers are
        // MQTTnet clients in this process, and here publish QoS 1 at only ~15-20k msgs/s. (Measured live instead, the
        // figure is Mosquitto's: once a queue builds for a connected subscriber, 2.0.11 drains it at a few hundred
        // messages a second.) The first round creates the session and warms up; the second is measured.
        await (await StartIngestAsync(cluster, broker.Port, influx.Url)).DisposeAsync();
        await PublishRangeAsync(broker.Port, start, 0, WarmUpMessages);
        await using (var ingest = await StartIngestAsync(cluster, broker.Port, influx.Url, waitUntilReady: false))
        {
            await DrainAsync(ingest, WarmUpMessages);
        }

        var clock = Stopwatch.StartNew();
        await PublishRangeAsync(broker.Port, start, WarmUpMessages, Messages);
        var generator = Messages / clock.Elapsed.TotalSeconds;
        double drained, p50, p99;
        await using (var ingest = await StartIngestAsync(cluster, broker.Port, influx.Url, waitUntilReady: false))
        {
            drained = await DrainAsync(ingest, Messages);
            (p50, p99) = await AlertLatencyAsync(broker.Port);
        }

        var ceiling = await CeilingAsync(influxClient, start);
        await ExpectAsync(influxClient, Namespace, start, WarmUpMessages, Messages);
        table.Add($"ingest: broker→ingest→InfluxDB, {Messages:N0} msgs, zero loss, vs influxd ceiling", drained, "msgs/s", ceiling);
        table.Add("  (load generator: publishers' QoS 1 rate into Mosquitto)", generator, "msgs/s");
        table.Add($"ingest: telemetry→alert latency p50 ({Alerts:N0} alerts)", p50, "ms");
        table.Add("ingest: telemetry→alert latency p99 (goal < 50 ms)", p99, "ms");

        // Live, through our broker and through Mosquitto: each run in its own range of message times, so the counts do not mix.
        var influxPid = ChildProcessId("influxd");
        var ourPort = FreePort.Next();
        LiveResult ours;
        await using (var ourBroker = await BrokerBenchmarks.StartChildAsync(ourPort, Devices))
        {
            ours = await LiveAsync(cluster, new LiveBroker(ourPort, ourBroker.Pid, WorkloadSecrets.InternalUsername, BrokerBenchmarks.InternalPassword), influx.Url, influxPid, start, 1_000_000);
        }

        var mosquitto = await LiveAsync(cluster, new LiveBroker(broker.Port, broker.Pid, null, null), influx.Url, influxPid, start, 2_000_000);
        await ExpectAsync(influxClient, Namespace, start, 1_000_000, LiveWarmUpMessages + LiveMessages);
        await ExpectAsync(influxClient, Namespace, start, 2_000_000, LiveWarmUpMessages + LiveMessages);
        table.Add($"ingest: devices→broker→ingest→InfluxDB, {LiveMessages:N0} msgs live, ours vs Mosquitto", ours.Rate, "msgs/s", mosquitto.Rate);
        table.Add($"  publishers' QoS 1 rate during it ({Devices:N0} connections, {LiveInFlight} in flight)", ours.PublishRate, "msgs/s", mosquitto.PublishRate);
        table.Add("  CPU per 1,000 msgs: broker", ours.BrokerCpu, "ms", mosquitto.BrokerCpu);
        table.Add("  CPU per 1,000 msgs: this process (load generator + ingest)", ours.OwnCpu, "ms", mosquitto.OwnCpu);
        table.Add("  CPU per 1,000 msgs: influxd", ours.InfluxCpu, "ms", mosquitto.InfluxCpu);
        table.Add("  CPU of the three, share of all the machine's cores", ours.MachineShare, "%", mosquitto.MachineShare);
        table.Add("  (load generator alone: same connections into Mosquitto, nobody subscribed)", mosquitto.GeneratorCeiling, "msgs/s");
        table.Add("  (load generator alone: its CPU per 1,000 msgs)", mosquitto.GeneratorCpu, "ms");
    }

    // Devices without a room (default_raw); one of them with a threshold rule for the latency measurement.
    private static async Task PrepareAsync(IKubernetes kube, InfluxClient influx)
    {
        await kube.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        var devices = new ResourceClient<Device>(kube, KubeResource.For<Device>());
        await Parallel.ForEachAsync(Enumerable.Range(0, Devices), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await devices.CreateAsync(
                new Device
                {
                    Metadata = new V1ObjectMeta { Name = DeviceId(i), NamespaceProperty = Namespace, Labels = new Dictionary<string, string> { ["role"] = i == 0 ? "latency" : "load" } },
                    Spec = new DeviceSpec
                    {
                        Type = "thermostat",
                        Telemetry = [new TelemetryField { Name = "temperature", Type = TelemetryType.Number, Min = -40, Max = 125 }, new TelemetryField { Name = "humidity", Type = TelemetryType.Number, Min = 0, Max = 100 }],
                    },
                },
                ct));
        await new ResourceClient<EdgeRule>(kube, KubeResource.For<EdgeRule>()).CreateAsync(new EdgeRule
        {
            Metadata = new V1ObjectMeta { Name = "latency", NamespaceProperty = Namespace },
            Spec = new EdgeRuleSpec
            {
                Selector = new DeviceSelector { MatchLabels = new Dictionary<string, string> { ["role"] = "latency" } },
                Condition = new RuleCondition { Threshold = new ThresholdCondition { Field = "temperature", Operator = ComparisonOperator.GreaterThan, Value = 50 } },
                Actions = [new RuleAction { Alert = new AlertAction { Severity = Severity.Warning } }],
            },
        });
        await influx.CreateDatabaseAsync(Namespace);
        await influx.CreateRetentionPolicyAsync(Namespace, new RetentionPolicy(RetentionPolicyNames.DefaultRaw, TimeSpan.FromDays(7), TimeSpan.Zero));
    }

    private static async Task<WebApplication> StartIngestAsync(
        LocalCluster.LocalCluster cluster, int brokerPort, Uri influx, bool waitUntilReady = true, string? username = null, string? password = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ingest:Namespace"] = Namespace,
            ["Ingest:Mqtt:Host"] = "127.0.0.1",
            ["Ingest:Mqtt:Port"] = brokerPort.ToString(CultureInfo.InvariantCulture),
            ["Ingest:Mqtt:Username"] = username ?? "",
            ["Ingest:Mqtt:Password"] = password,
            ["Ingest:Mqtt:ClientId"] = "ingest-bench",
            ["TimeSeries:Influx:Url"] = influx.ToString(),
        });
        builder.Services.AddSingleton<IKubernetes>(cluster.CreateClient());
        builder.Services.AddIotIngest(builder.Configuration);
        var app = builder.Build();
        await app.StartAsync();
        if (!waitUntilReady)
        {
            return app;
        }

        var ready = app.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while ((await ready.CheckHealthAsync()).Status != Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("ingest did not get ready within 60 s");
            }

            await Task.Delay(50);
        }

        return app;
    }

    // From the first message ingest accepts to the last one flushed to InfluxDB.
    private static async Task<double> DrainAsync(WebApplication ingest, int count)
    {
        using var accepted = new AcceptedCounter(ingest.Services.GetRequiredService<IMeterFactory>());
        await accepted.WaitForAsync(count);
        await ingest.Services.GetRequiredService<ITimeSeriesStore>().FlushAsync();
        return count / Stopwatch.GetElapsedTime(accepted.FirstAt).TotalSeconds;
    }

    // Messages [from, from + count) over a few anonymous connections, each carrying many devices' topics (Mosquitto only).
    private static async Task PublishRangeAsync(int brokerPort, DateTimeOffset start, int from, int count)
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, Publishers).Select(_ => ConnectAsync(brokerPort)));
        try
        {
            await PublishAsync(clients, Publishers * InFlightPerPublisher, "devices", start, from, count);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisconnectAsync();
                client.Dispose();
            }
        }
    }

    // Messages [from, from + count) by `workers` concurrent senders, so at most that many in flight; message k is device
    // k % Devices's, on <root>/<device>/telemetry, sent over connection k % connections.
    private static Task PublishAsync(IMqttClient[] connections, int workers, string root, DateTimeOffset start, int from, int count) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            for (var k = from + w; k < from + count; k += workers)
            {
                var payload = $$"""{"temperature":{{Temperature(k).ToString(CultureInfo.InvariantCulture)}},"humidity":{{(k % 100).ToString(CultureInfo.InvariantCulture)}},"ts":{{start.AddMilliseconds(k).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}}}""";
                await PublishAsync(connections[k % connections.Length], $"{root}/{DeviceId(k % Devices)}/telemetry", payload);
            }
        })));

    // Publishers and ingest at once through one broker: a warm-up, then LiveMessages timed from the first publish until
    // ingest accepted them all and flushed them to InfluxDB. Message times from `first` (ms after start) on. For Mosquitto
    // (no credentials given) also the load generator alone, on topics nobody subscribes to.
    private static async Task<LiveResult> LiveAsync(LocalCluster.LocalCluster cluster, LiveBroker broker, Uri influx, int influxPid, DateTimeOffset start, int first)
    {
        var devices = new IMqttClient?[Devices];
        await using var ingest = await StartIngestAsync(cluster, broker.Port, influx, username: broker.Username, password: broker.Password);
        try
        {
            await Parallel.ForAsync(0, Devices, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
                devices[i] = await ConnectDeviceAsync(broker.Port, DeviceId(i)));
            var connections = devices.Select(d => d!).ToArray();
            var store = ingest.Services.GetRequiredService<ITimeSeriesStore>();
            var meters = ingest.Services.GetRequiredService<IMeterFactory>();
            using (var warmUp = new AcceptedCounter(meters))
            {
                await PublishAsync(connections, LiveInFlight, "devices", start, first, LiveWarmUpMessages);
                await warmUp.WaitForAsync(LiveWarmUpMessages);
                await store.FlushAsync();
            }

            using var accepted = new AcceptedCounter(meters);
            var cpu = CpuSnapshot.Take(broker.Pid, influxPid);
            var clock = Stopwatch.StartNew();
            await PublishAsync(connections, LiveInFlight, "devices", start, first + LiveWarmUpMessages, LiveMessages);
            var publishSeconds = clock.Elapsed.TotalSeconds;
            await accepted.WaitForAsync(LiveMessages);
            await store.FlushAsync();
            var seconds = clock.Elapsed.TotalSeconds;
            var used = CpuSnapshot.Take(broker.Pid, influxPid) - cpu;
            var result = new LiveResult(
                LiveMessages / seconds,
                LiveMessages / publishSeconds,
                PerThousand(used.Broker, LiveMessages),
                PerThousand(used.Own, LiveMessages),
                PerThousand(used.Influx, LiveMessages),
                (used.Broker + used.Own + used.Influx).TotalSeconds / seconds / Environment.ProcessorCount * 100);
            if (broker.Username is not null)
            {
                return result;
            }

            var own = Process.GetCurrentProcess().TotalProcessorTime;
            clock.Restart();
            await PublishAsync(connections, LiveInFlight, "bench", start, 0, GeneratorCeilingMessages);
            return result with
            {
                GeneratorCeiling = GeneratorCeilingMessages / clock.Elapsed.TotalSeconds,
                GeneratorCpu = PerThousand(Process.GetCurrentProcess().TotalProcessorTime - own, GeneratorCeilingMessages),
            };
        }
        finally
        {
            foreach (var device in devices.OfType<IMqttClient>())
            {
                await device.DisconnectAsync();
                device.Dispose();
            }
        }
    }

    private static double PerThousand(TimeSpan cpu, int messages) => cpu.TotalMilliseconds / (messages / 1000.0);

    // influxd is a child of this process (InfluxDbServer does not say its PID); /proc/<pid>/stat: "pid (comm) state ppid …".
    private static int ChildProcessId(string name)
    {
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue; // not a process, or it has just exited
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            var comm = stat.IndexOf('(', StringComparison.Ordinal);
            var end = stat.LastIndexOf(')');
            if (comm > 0 && end > comm && stat[(comm + 1)..end] == name && stat[(end + 2)..].Split(' ')[1] == self)
            {
                return int.Parse(stat[..(comm - 1)], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no child process named {name}");
    }

    // influxd alone: the same points as line protocol prepared beforehand, 10,000-line requests, two at a time.
    private static async Task<double> CeilingAsync(InfluxClient influx, DateTimeOffset start)
    {
        const string database = "ceiling";
        await influx.CreateDatabaseAsync(database);
        await influx.CreateRetentionPolicyAsync(database, new RetentionPolicy(RetentionPolicyNames.DefaultRaw, TimeSpan.FromDays(7), TimeSpan.Zero));
        var batches = Enumerable.Range(WarmUpMessages, Messages).Chunk(10_000).Select(chunk =>
        {
            var lines = new StringBuilder();
            foreach (var k in chunk)
            {
                var fields = new Dictionary<string, TelemetryValue> { ["temperature"] = Temperature(k), ["humidity"] = (double)(k % 100) };
                LineProtocol.Append(lines, new InfluxPoint("telemetry", new Dictionary<string, string?> { ["device"] = DeviceId(k % Devices), ["type"] = "thermostat" }, fields, start.AddMilliseconds(k)));
                lines.Append('\n');
            }

            return Encoding.UTF8.GetBytes(lines.ToString());
        }).ToList();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (body, ct) =>
            await influx.WriteAsync(database, RetentionPolicyNames.DefaultRaw, body, InfluxPrecision.Nanoseconds, ct));
        clock.Stop();
        await ExpectAsync(influx, database, start, WarmUpMessages, Messages);
        return Messages / clock.Elapsed.TotalSeconds;
    }

    // One message every 5 ms, alternately above and below the threshold; alerts arrive in message order.
    private static async Task<(double P50, double P99)> AlertLatencyAsync(int brokerPort)
    {
        var received = new long[Alerts];
        var count = 0;
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var notify = new MqttClientFactory().CreateMqttClient();
        notify.ApplicationMessageReceivedAsync += _ =>
        {
            var index = Interlocked.Increment(ref count) - 1;
            if (index < Alerts)
            {
                received[index] = Stopwatch.GetTimestamp();
            }

            if (index == Alerts - 1)
            {
                all.TrySetResult();
            }

            return Task.CompletedTask;
        };
        await notify.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", brokerPort).WithProtocolVersion(MqttProtocolVersion.V500).WithClientId("notify-bench").Build());
        await notify.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(f => f.WithTopic("_iot/alerts/#").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)).Build());
        using var device = await ConnectAsync(brokerPort);
        var sent = new long[Alerts];
        for (var i = 0; i < Alerts; i++)
        {
            sent[i] = Stopwatch.GetTimestamp();
            await PublishAsync(device, $"devices/{DeviceId(0)}/telemetry", i % 2 == 0 ? """{"temperature":60}""" : """{"temperature":40}""");
            await Task.Delay(5);
        }

        await all.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await device.DisconnectAsync();
        await notify.DisconnectAsync();
        var raw = sent.Zip(received, (s, r) => Stopwatch.GetElapsedTime(s, r).TotalMilliseconds).ToArray();
        Console.Error.WriteLine(string.Join(" ", raw.Select((l, i) => (l, i)).OrderByDescending(p => p.l).Take(30).Select(p => $"{p.i}:{p.l:0.0}")));
        var latencies = raw.Order().ToArray();
        return (latencies[latencies.Length / 2], latencies[(int)Math.Ceiling(latencies.Length * 0.99) - 1]);
    }

    // The points of messages [from, from + expected); the latency run's messages carry no time and are stored at their receive time, later.
    private static async Task ExpectAsync(InfluxClient influx, string database, DateTimeOffset start, int from, int expected)
    {
        var range = $"time >= {InfluxQL.TimeLiteral(start.AddMilliseconds(from))} AND time < {InfluxQL.TimeLiteral(start.AddMilliseconds(from + expected))}";
        var series = await influx.QueryAsync(database, $"SELECT count(temperature) FROM default_raw.telemetry WHERE {range}");
        var count = series is [{ Values: [var row] }] ? (long)row[1]! : 0;
        if (count != expected)
        {
            throw new InvalidOperationException($"{database}: {count} points arrived in InfluxDB of {expected} sent");
        }
    }

    private static async Task<IMqttClient> ConnectAsync(int port)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId("device-" + Guid.NewGuid().ToString("N"))
            .Build());
        return client;
    }

    // One device's own connection: client id and user name are its id (Mosquitto, anonymous here, ignores the password).
    private static async Task<IMqttClient> ConnectDeviceAsync(int port, string device)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithClientId(device)
            .WithCredentials(device, BrokerBenchmarks.DevicePassword)
            .WithCleanStart()
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build());
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"the broker refused {device}: {result.ResultCode}");
        }

        return client;
    }

    private static async Task PublishAsync(IMqttClient client, string topic, string payload)
    {
        var result = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"the broker refused a message on {topic}: {result.ReasonCode}");
        }
    }

    private static string DeviceId(int i) => BrokerBenchmarks.DeviceId(i);

    private static double Temperature(int k) => 20 + (k % 100 / 10.0);

    // iot_ingest_messages_total{result="accepted"} of one host's meters, and when the first was counted.
    private sealed class AcceptedCounter : IDisposable
    {
        private readonly MeterListener listener = new();
        private long value;
        private long firstAt;

        public AcceptedCounter(IMeterFactory factory)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name == "iot_ingest_messages_total")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, v, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "result" && (string?)tag.Value == "accepted")
                    {
                        Interlocked.CompareExchange(ref firstAt, Stopwatch.GetTimestamp(), 0);
                        Interlocked.Add(ref value, v);
                    }
                }
            });
            listener.Start();
        }

        public long FirstAt => Interlocked.Read(ref firstAt);

        public async Task WaitForAsync(long count)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (Interlocked.Read(ref value) < count)
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"ingest accepted {Interlocked.Read(ref value)} of {count} messages within 3 minutes");
                }

                await Task.Delay(5);
            }
        }

        public void Dispose() => listener.Dispose();
    }

    private sealed record LiveBroker(int Port, int Pid, string? Username, string? Password);

    private sealed record LiveResult(double Rate, double PublishRate, double BrokerCpu, double OwnCpu, double InfluxCpu, double MachineShare)
    {
        public double GeneratorCeiling { get; init; } = double.NaN;

        public double GeneratorCpu { get; init; } = double.NaN;
    }

    // Processor time of the broker, of this process and of influxd.
    private sealed record CpuSnapshot(TimeSpan Broker, TimeSpan Own, TimeSpan Influx)
    {
        public static CpuSnapshot Take(int brokerPid, int influxPid) =>
            new(Cpu(brokerPid), Process.GetCurrentProcess().TotalProcessorTime, Cpu(influxPid));

        public static CpuSnapshot operator -(CpuSnapshot after, CpuSnapshot before) =>
            new(after.Broker - before.Broker, after.Own - before.Own, after.Influx - before.Influx);

        private static TimeSpan Cpu(int pid)
        {
            using var process = Process.GetProcessById(pid);
            return process.TotalProcessorTime;
        }
    }
}
