using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

using Iot.Api.Devices;
using Iot.Broker;
using Iot.Broker.Registry;
using Iot.Testing;

using Microsoft.Extensions.Logging.Abstractions;

using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Iot.Benchmarks;

/// <summary>
/// Our broker against Mosquitto 2.0 (Debian), side by side in one run, each in its own process on loopback, driven by
/// one load generator of MQTTnet clients (this process; its CPU is reported because it shares the two cores). Scenarios
/// (issue 5): (a) QoS 0, 100 publishers → 1 subscriber; (b) QoS 1, 100 → 1; (c) QoS 1, 1,000 publishers → a shared group
/// of 4. The offered rate steps up until a step fails; a step is sustained with zero loss, p99 &lt; 250 ms and at least
/// 95% of the offered rate actually sent. Then 10,000 idle connections: resident memory per connection.
/// BENCH_BROKER_STEP_SECONDS sets the length of a step (default 3); BENCH_BROKER_SCENARIOS picks scenarios by letter
/// (default "abc", add "i" for idle connections: default "abci").
/// </summary>
internal static class BrokerBenchmarks
{
    /// <summary>The internal user's password in the child broker (user <c>iot-internal</c>).</summary>
    internal const string InternalPassword = "bench-internal";

    /// <summary>Every device's password in the child broker.</summary>
    internal const string DevicePassword = "bench-device";

    private const string ChildCommand = "serve-broker";
    private const int PayloadSize = 200;
    private const int IdleConnections = 10_000;

    private static readonly Scenario[] Scenarios =
    [
        new("(a) QoS 0, 100 publishers -> 1 subscriber", MqttQualityOfServiceLevel.AtMostOnce, 100, 1, Shared: false, [5_000, 10_000, 20_000, 30_000, 40_000, 60_000]),
        new("(b) QoS 1, 100 publishers -> 1 subscriber", MqttQualityOfServiceLevel.AtLeastOnce, 100, 1, Shared: false, [2_500, 5_000, 10_000, 15_000, 20_000, 30_000]),
        new("(c) QoS 1, 1,000 publishers -> shared group of 4", MqttQualityOfServiceLevel.AtLeastOnce, 1_000, 4, Shared: true, [2_500, 5_000, 10_000, 15_000, 20_000, 30_000]),
    ];

    private static readonly TimeSpan StepLength = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("BENCH_BROKER_STEP_SECONDS"), CultureInfo.InvariantCulture, out var s) ? s : 3);

    /// <summary>Child mode: <c>serve-broker PORT DEVICES</c> runs our broker until stdin closes. True when this process was the child.</summary>
    public static async Task<bool> ServeIfChildAsync(string[] args)
    {
        if (args is not [ChildCommand, var portText, var devicesText])
        {
            return false;
        }

        var registry = new InMemoryDeviceRegistry();
        var hash = DeviceCredentials.Hash(DevicePassword);
        for (var i = 0; i < int.Parse(devicesText, CultureInfo.InvariantCulture); i++)
        {
            registry.Set(new DeviceRecord(DeviceId(i), DeviceAuthMode.Password, hash, Disabled: false));
        }

        var options = new BrokerOptions
        {
            BindAddress = "127.0.0.1",
            Port = int.Parse(portText, CultureInfo.InvariantCulture),
            TlsPort = 0,
            InternalPassword = InternalPassword,
            Registry = DeviceRegistryMode.Memory,
            PublishRateLimit = 0, // Mosquitto has none; the per-device limit is for production, not for a throughput test
        };
        using var meter = new System.Diagnostics.Metrics.Meter(Iot.Broker.Metrics.BrokerMetrics.MeterName);
        await using var broker = new MqttBroker(options, registry, null, meter, NullLogger<MqttBroker>.Instance);
        await broker.StartAsync();
        await Task.Delay(Timeout.Infinite); // until the parent stops us (SIGTERM, by PID)
        return true;
    }

    public static async Task RunAsync(BenchmarkTable table)
    {
        await using var mosquitto = await MosquittoServer.StartAsync(["max_queued_messages 10000", "message_size_limit 262144"]);
        var ourPort = FreePort.Next();
        await using var ours = await StartChildAsync(ourPort, IdleConnections);
        var targets = new[] { new Target("ours", ourPort, ours.Pid), new Target("mosquitto", mosquitto.Port, mosquitto.Pid) };

        var selected = Environment.GetEnvironmentVariable("BENCH_BROKER_SCENARIOS") ?? "abci";
        if (selected.Contains('i', StringComparison.Ordinal))
        {
            // First, on fresh processes: memory freed after the load scenarios would be reused and hide the cost.
            var ourMemory = await IdleConnectionsAsync(targets[0]);
            var mosquittoMemory = await IdleConnectionsAsync(targets[1]);
            table.Add($"broker: {IdleConnections:N0} idle connections, resident memory per connection", ourMemory, "KiB", mosquittoMemory);
        }

        foreach (var scenario in Scenarios.Where(s => selected.Contains(s.Name[1], StringComparison.Ordinal)))
        {
            var results = new Dictionary<string, ScenarioResult>();
            foreach (var target in targets)
            {
                results[target.Name] = await RunScenarioAsync(target, scenario);
                Log($"{scenario.Name} on {target.Name}: {results[target.Name]}");
            }

            var (o, m) = (results["ours"], results["mosquitto"]);
            table.Add($"broker {scenario.Name}: highest sustained rate", o.Best?.Rate ?? 0, "msg/s", m.Best?.Rate ?? 0);
            table.Add("  p50 latency at that rate", o.Best?.P50 ?? double.NaN, "ms", m.Best?.P50 ?? double.NaN);
            table.Add("  p99 latency at that rate", o.Best?.P99 ?? double.NaN, "ms", m.Best?.P99 ?? double.NaN);
            table.Add("  broker CPU per 1,000 messages at that rate", o.Best?.BrokerCpuPerThousand ?? double.NaN, "ms", m.Best?.BrokerCpuPerThousand ?? double.NaN);
            table.Add("  load generator CPU at that rate", o.Best?.GeneratorCpu ?? double.NaN, "% of a core", m.Best?.GeneratorCpu ?? double.NaN);
            table.Add("  first failing step", o.Failed?.Rate ?? 0, $"msg/s (ours: {o.Failed?.Why ?? "none failed"}; mosquitto: {m.Failed?.Why ?? "none failed"})", m.Failed?.Rate ?? 0);
            if (scenario.Qos == MqttQualityOfServiceLevel.AtLeastOnce)
            {
                table.Add("  acknowledged QoS 1 messages lost (all steps)", o.AcknowledgedLost, "messages", m.AcknowledgedLost);
            }
        }

    }

    /// <summary>
    /// Our broker in a child process of this executable on 127.0.0.1:<paramref name="port"/>, knowing the devices
    /// <see cref="DeviceId"/>(0 … <paramref name="devices"/> - 1); stopped by PID when disposed.
    /// </summary>
    internal static Task<ServerProcess> StartChildAsync(int port, int devices) =>
        // No spinning of idle thread-pool threads: on two shared cores it burned a third of the broker's CPU (measured: 60-80
        // against 40 ms per 1,000 QoS 0 messages). The production host should set the same (runtimeconfig
        // System.Threading.ThreadPool.UnfairSemaphoreSpinLimit = 0).
        ServerProcess.StartAsync("dotnet",
            [typeof(BrokerBenchmarks).Assembly.Location, ChildCommand, port.ToString(CultureInfo.InvariantCulture), devices.ToString(CultureInfo.InvariantCulture)], port,
            environment: new Dictionary<string, string> { ["DOTNET_ThreadPool_UnfairSemaphoreSpinLimit"] = "0" });

    /// <summary>The id (and user name) of the child broker's device <paramref name="i"/>; a valid Kubernetes name.</summary>
    internal static string DeviceId(int i) => $"bench-{i:00000}";

    private static async Task<ScenarioResult> RunScenarioAsync(Target target, Scenario scenario)
    {
        var subscribers = new List<IMqttClient>();
        var publishers = new List<IMqttClient>();
        var receiver = new Receiver();
        try
        {
            for (var i = 0; i < scenario.Subscribers; i++)
            {
                var client = await ConnectAsync(target, $"bench-sub-{i}", "iot-internal", InternalPassword);
                client.ApplicationMessageReceivedAsync += e =>
                {
                    receiver.Receive(e.ApplicationMessage.Payload.FirstSpan);
                    return Task.CompletedTask;
                };
                var filter = scenario.Shared ? "$share/bench/devices/+/telemetry" : "devices/+/telemetry";
                await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, scenario.Qos).Build());
                subscribers.Add(client);
            }

            await Parallel.ForAsync(0, scenario.Publishers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
            {
                var client = await ConnectAsync(target, DeviceId(i), DeviceId(i), DevicePassword);
                lock (publishers)
                {
                    publishers.Add(client);
                }
            });

            var steps = new List<StepResult>();
            var stepId = 0;
            // A warm-up step at the first rate, not recorded: the JIT's first tiers would otherwise slow the first step.
            await RunStepAsync(target, scenario, publishers, receiver, ++stepId, scenario.Rates[0]);
            foreach (var rate in scenario.Rates)
            {
                var step = await RunStepAsync(target, scenario, publishers, receiver, ++stepId, rate);
                steps.Add(step);
                Log($"  {target.Name} {rate} msg/s: {step}");
                if (step.Why is not null)
                {
                    break;
                }
            }

            return new ScenarioResult(steps.LastOrDefault(s => s.Why is null), steps.FirstOrDefault(s => s.Why is not null), steps.Sum(s => s.AcknowledgedLost));
        }
        finally
        {
            foreach (var client in subscribers.Concat(publishers))
            {
                await DisconnectQuietlyAsync(client);
            }
        }
    }

    private static async Task<StepResult> RunStepAsync(Target target, Scenario scenario, List<IMqttClient> publishers, Receiver receiver, int stepId, int rate)
    {
        var total = (int)(rate * StepLength.TotalSeconds);
        receiver.Start(stepId, total);
        var brokerCpu = target.Cpu();
        var generatorCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var acknowledged = new int[total];
        var failures = 0;
        var outstanding = new SemaphoreSlim(20_000);
        var pending = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        var next = 0;
        while (next < total)
        {
            var due = Math.Min(total, (int)(clock.Elapsed.TotalSeconds * rate) + 1);
            for (; next < due; next++)
            {
                if (!outstanding.Wait(0))
                {
                    break; // the broker (or the generator) cannot keep up: the step will show a lower achieved rate
                }

                var index = next;
                var payload = new byte[PayloadSize];
                BinaryPrimitives.WriteInt32LittleEndian(payload, stepId);
                BinaryPrimitives.WriteInt32LittleEndian(payload.AsSpan(4), index);
                BinaryPrimitives.WriteInt64LittleEndian(payload.AsSpan(8), Stopwatch.GetTimestamp());
                var publisher = publishers[index % publishers.Count];
                var message = new MqttApplicationMessageBuilder().WithTopic($"devices/{publisher.Options.ClientId}/telemetry").WithPayload(payload).WithQualityOfServiceLevel(scenario.Qos).Build();
                pending.Add(PublishAsync(publisher, message, index));
            }

            if (next < total)
            {
                await Task.Delay(1);
            }
        }

        var sendSeconds = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(pending).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        await receiver.WaitForAsync(total - failures, TimeSpan.FromSeconds(3));
        var cpu = (target.Cpu() - brokerCpu).TotalMilliseconds;
        var generator = (Process.GetCurrentProcess().TotalProcessorTime - generatorCpu).TotalMilliseconds / (clock.Elapsed.TotalMilliseconds) * 100;
        var (received, p50, p99) = receiver.Summary();
        var lost = total - failures - received;
        var acknowledgedLost = scenario.Qos == MqttQualityOfServiceLevel.AtLeastOnce ? receiver.MissingOf(acknowledged) : 0;
        var achieved = total / sendSeconds;
        var why = failures > 0 ? $"{failures} publishes failed"
            : lost > 0 ? $"{lost} lost"
            : p99 >= 250 ? $"p99 {p99:0} ms"
            : achieved < 0.95 * rate ? $"sent only {achieved:0}/s"
            : null;
        return new StepResult(rate, p50, p99, received == 0 ? double.NaN : cpu / (received / 1000.0), generator, acknowledgedLost, why);

        async Task PublishAsync(IMqttClient client, MqttApplicationMessage message, int index)
        {
            try
            {
                var result = await client.PublishAsync(message);
                if (result.IsSuccess || result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
                {
                    acknowledged[index] = 1;
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
            catch (Exception)
            {
                Interlocked.Increment(ref failures);
            }
            finally
            {
                outstanding.Release();
            }
        }
    }

    // 10,000 raw MQTT 3.1.1 connections (CONNECT with keep-alive off, then silence): the broker's resident memory before and after.
    private static async Task<double> IdleConnectionsAsync(Target target)
    {
        await Task.Delay(500);
        var before = target.ResidentKiB();
        var sockets = new Socket[IdleConnections];
        try
        {
            await Parallel.ForAsync(0, IdleConnections, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets[i] = socket;
                await socket.ConnectAsync("127.0.0.1", target.Port, ct);
                await socket.SendAsync(ConnectPacket(DeviceId(i), DeviceId(i), DevicePassword), ct);
                var connAck = new byte[4];
                var read = 0;
                while (read < 4)
                {
                    var n = await socket.ReceiveAsync(connAck.AsMemory(read), ct);
                    if (n == 0)
                    {
                        throw new InvalidOperationException($"{target.Name} closed idle connection {i}");
                    }

                    read += n;
                }

                if (connAck[0] != 0x20 || connAck[3] != 0)
                {
                    throw new InvalidOperationException($"{target.Name} refused idle connection {i}: CONNACK {Convert.ToHexString(connAck)}");
                }
            });
            await Task.Delay(1000);
            var after = target.ResidentKiB();
            return (after - before) / (double)IdleConnections;
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket?.Dispose();
            }

            await Task.Delay(1000);
        }
    }

    // An MQTT 3.1.1 CONNECT with clean session, keep-alive 0, username and password.
    private static byte[] ConnectPacket(string clientId, string username, string password)
    {
        var body = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, 0xC2, 0, 0 };
        foreach (var text in new[] { clientId, username, password })
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            body.Add((byte)(bytes.Length >> 8));
            body.Add((byte)bytes.Length);
            body.AddRange(bytes);
        }

        var packet = new List<byte> { 0x10 };
        var length = body.Count;
        do
        {
            var digit = (byte)(length % 128);
            length /= 128;
            packet.Add(length > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (length > 0);

        packet.AddRange(body);
        return [.. packet];
    }

    private static async Task<IMqttClient> ConnectAsync(Target target, string clientId, string username, string password)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var result = await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", target.Port)
            .WithClientId(clientId)
            .WithCredentials(username, password)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart()
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build());
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"{target.Name} refused {clientId}: {result.ResultCode}");
        }

        return client;
    }

    private static async Task DisconnectQuietlyAsync(IMqttClient client)
    {
        try
        {
            await client.DisconnectAsync();
        }
        catch (Exception)
        {
            // Already gone; nothing to measure here.
        }

        client.Dispose();
    }

    private static void Log(string line)
    {
        if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") is not null)
        {
            Console.Error.WriteLine(line);
        }
    }

    private sealed record Scenario(string Name, MqttQualityOfServiceLevel Qos, int Publishers, int Subscribers, bool Shared, int[] Rates);

    private sealed record StepResult(int Rate, double P50, double P99, double BrokerCpuPerThousand, double GeneratorCpu, int AcknowledgedLost, string? Why)
    {
        public override string ToString() =>
            FormattableString.Invariant($"p50 {P50:0.0} ms, p99 {P99:0.0} ms, broker {BrokerCpuPerThousand:0.0} ms CPU/1k, generator {GeneratorCpu:0}% {(Why is null ? "sustained" : "FAILED: " + Why)}");
    }

    private sealed record ScenarioResult(StepResult? Best, StepResult? Failed, int AcknowledgedLost);

    private sealed record Target(string Name, int Port, int Pid)
    {
        public TimeSpan Cpu()
        {
            using var process = Process.GetProcessById(Pid);
            return process.TotalProcessorTime;
        }

        public long ResidentKiB()
        {
            var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
    }

    /// <summary>What the subscribers received in the current step: each message once, with its latency.</summary>
    private sealed class Receiver
    {
        private volatile int step;
        private int[] seen = [];
        private double[] latencies = [];
        private int received;

        public void Start(int stepId, int total)
        {
            seen = new int[total];
            latencies = new double[total];
            received = 0;
            step = stepId;
        }

        public void Receive(ReadOnlySpan<byte> payload)
        {
            if (payload.Length < 16 || BinaryPrimitives.ReadInt32LittleEndian(payload) != step)
            {
                return;
            }

            var index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
            var sent = BinaryPrimitives.ReadInt64LittleEndian(payload[8..]);
            var seenNow = seen;
            if ((uint)index < (uint)seenNow.Length && Interlocked.Exchange(ref seenNow[index], 1) == 0)
            {
                latencies[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                Interlocked.Increment(ref received);
            }
        }

        public async Task WaitForAsync(int count, TimeSpan quiet)
        {
            var last = -1;
            var lastChange = Stopwatch.StartNew();
            while (Volatile.Read(ref received) < count && lastChange.Elapsed < quiet)
            {
                if (Volatile.Read(ref received) != last)
                {
                    last = Volatile.Read(ref received);
                    lastChange.Restart();
                }

                await Task.Delay(20);
            }
        }

        public (int Received, double P50, double P99) Summary()
        {
            var values = latencies.Where((_, i) => seen[i] == 1).Order().ToArray();
            return values.Length == 0 ? (0, double.NaN, double.NaN) : (values.Length, values[values.Length / 2], values[Math.Min(values.Length - 1, (int)(values.Length * 0.99))]);
        }

        public int MissingOf(int[] acknowledged) => acknowledged.Where((a, i) => a == 1 && seen[i] == 0).Count();
    }
}
