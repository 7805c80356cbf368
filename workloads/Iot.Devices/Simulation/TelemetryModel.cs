namespace Iot.Devices.Simulation;

/// <summary>
/// Realistic readings for one device type: each numeric field follows a slow sine (a compressed day) with noise, and
/// now and then a spike large enough to trip threshold rules; boolean fields flip now and then.
/// </summary>
public sealed class TelemetryModel
{
    private readonly IReadOnlyList<FieldModel> fields;

    private TelemetryModel(string type, IReadOnlyList<FieldModel> fields)
    {
        Type = type;
        this.fields = fields;
    }

    /// <summary>The device type this model is for.</summary>
    public string Type { get; }

    /// <summary>The model of <paramref name="type"/>: thermostat, power-meter, air-quality and door-sensor have their own; any other type gets a generic single-value model.</summary>
    public static TelemetryModel For(string type) => new(type, type switch
    {
        "thermostat" => [new("temperature", 21, 3, 0.2, 15, "°C"), new("humidity", 45, 10, 1, 30, "%")],
        "power-meter" => [new("power", 1200, 400, 30, 3000, "W"), new("voltage", 230, 2, 0.5, 20, "V")],
        "air-quality" => [new("co2", 600, 200, 15, 1500, "ppm", Integer: true), new("pm25", 12, 5, 1, 80, "µg/m³")],
        "door-sensor" => [new("open", 0, 0, 0, 0, null, Boolean: true), new("battery", 80, 10, 1, 0, "%", Integer: true)],
        _ => [new("value", 50, 20, 2, 100, null)],
    });

    /// <summary>
    /// One reading at <paramref name="elapsed"/> since the simulation started, for a device whose cycle is shifted by
    /// <paramref name="phase"/> (radians), with spikes at <paramref name="spikeProbability"/> per reading and field.
    /// </summary>
    public Dictionary<string, object> Next(TimeSpan elapsed, double phase, double spikeProbability, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var reading = new Dictionary<string, object>(StringComparer.Ordinal);
        // A "day" lasts ten minutes, so a short run still shows the cycle.
        var angle = (elapsed.TotalMinutes / 10 * 2 * Math.PI) + phase;
        foreach (var field in fields)
        {
            if (field.Boolean)
            {
                reading[field.Name] = random.NextDouble() < 0.05 + (spikeProbability * 10);
                continue;
            }

            var value = field.Base + (field.Amplitude * Math.Sin(angle)) + (field.Noise * Gaussian(random));
            if (random.NextDouble() < spikeProbability)
            {
                value += field.Spike;
            }

            reading[field.Name] = field.Integer ? (long)Math.Round(value) : Math.Round(value, 2);
        }

        return reading;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    // The fields and types match the example Devices' telemetry schemas (examples/20-devices.yaml), so that ingest accepts them.
    private sealed record FieldModel(string Name, double Base, double Amplitude, double Noise, double Spike, string? Unit, bool Boolean = false, bool Integer = false);
}
