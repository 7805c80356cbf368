using System.Text.Json;

using Iot.Broker.Tests.Support;
using Iot.Devices.Client;
using Iot.Devices.Simulation;

using static Iot.Broker.Tests.Support.MosquittoClients;

namespace Iot.Broker.Tests;

public sealed class FleetSimulatorTests
{
    [Fact]
    public async Task Every_simulated_device_publishes_readings_of_its_type_with_its_own_credentials()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var workload = Subscribe(broker.Port, "-i", "ingest", "-u", "iot-internal", "-P", TestBroker.InternalPassword, "-q", "1", "-t", "devices/+/telemetry");
        await workload.WaitForSubscribedAsync();
        var fleet = new[] { ("t-1", "thermostat"), ("p-1", "power-meter"), ("a-1", "air-quality"), ("d-1", "door-sensor") }
            .Select(d => new SimulatedDevice(new DeviceClientOptions { Host = "127.0.0.1", Port = broker.Port, DeviceId = d.Item1, Password = broker.AddDevice(d.Item1) }, d.Item2))
            .ToList();
        await using var simulator = new FleetSimulator(fleet, new FleetSimulatorOptions { Rate = 20, Tick = TimeSpan.FromMilliseconds(20), Seed = 1 });
        using var stop = new CancellationTokenSource();
        var running = simulator.RunAsync(stop.Token);

        await workload.WaitForMessagesAsync(40);
        await stop.CancelAsync();
        await running;

        var byDevice = workload.Messages
            .Select(m => JsonDocument.Parse(m[(m.IndexOf(' ', StringComparison.Ordinal) + 1)..]).RootElement)
            .GroupBy(m => m.GetProperty("device_id").GetString()!)
            .ToDictionary(g => g.Key, g => g.First().GetProperty("data"));
        Assert.Equal(["a-1", "d-1", "p-1", "t-1"], byDevice.Keys.Order());
        Assert.True(byDevice["t-1"].TryGetProperty("temperature", out _));
        Assert.True(byDevice["p-1"].TryGetProperty("power", out _));
        Assert.Equal(JsonValueKind.Number, byDevice["a-1"].GetProperty("co2").ValueKind);
        Assert.True(byDevice["a-1"].GetProperty("co2").TryGetInt64(out _), "co2 is an integer, as the example Devices' schema says");
        Assert.Contains(byDevice["d-1"].GetProperty("open").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        Assert.Equal(4, simulator.Status.Devices);
        Assert.Equal(0, simulator.Status.Rejected);
    }

    [Fact]
    public void Readings_follow_the_daily_cycle_and_spikes_stand_out()
    {
        var model = TelemetryModel.For("thermostat");
        var random = new Random(7);

        var calm = Enumerable.Range(0, 200).Select(i => (double)model.Next(TimeSpan.FromSeconds(i), 0, 0, random)["temperature"]).ToList();
        var spiking = Enumerable.Range(0, 20).Select(i => (double)model.Next(TimeSpan.FromSeconds(i), 0, 1, random)["temperature"]).ToList();

        Assert.All(calm, t => Assert.InRange(t, 16, 26));
        Assert.All(spiking, t => Assert.True(t > 30, $"{t} is a spike"));
    }
}
