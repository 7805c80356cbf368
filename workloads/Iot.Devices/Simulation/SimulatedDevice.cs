using Iot.Devices.Client;

namespace Iot.Devices.Simulation;

/// <summary>One device of a simulated fleet: how it connects and what type of readings it sends.</summary>
/// <param name="Connection">Its connection options (from its credentials).</param>
/// <param name="Type">Its device type (spec.type), which selects its <see cref="TelemetryModel"/>.</param>
public sealed record SimulatedDevice(DeviceClientOptions Connection, string Type);
