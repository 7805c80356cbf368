namespace Iot.Devices.Simulation;

/// <summary>How a <see cref="FleetSimulator"/> drives its fleet.</summary>
public sealed record FleetSimulatorOptions
{
    /// <summary>Telemetry messages per second, per device.</summary>
    public double Rate { get; init; } = 1;

    /// <summary>The chance that one reading of one field is a spike.</summary>
    public double SpikeProbability { get; init; } = 0.002;

    /// <summary>How many devices connect at the same time while the fleet comes up.</summary>
    public int ConnectConcurrency { get; init; } = 16;

    /// <summary>How often the simulator wakes to publish what is due.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Seed of the readings' randomness (null: a different fleet every run).</summary>
    public int? Seed { get; init; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
