using Iot.Api.Devices;
using Iot.Api.Rooms;

using k8s.Models;

namespace Iot.Analytics.Tests;

/// <summary>Devices and Rooms as a user would apply them.</summary>
internal static class Resources
{
    public static Room Room(string name, string raw = "7d", params (string Every, string Keep)[] rollups) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = AnalyticsHost.Namespace },
        Spec = new RoomSpec
        {
            DisplayName = name.ToUpperInvariant(),
            Building = "HQ",
            Floor = 2,
            Capacity = 12,
            Metrics =
            [
                new RoomMetric { Name = "temperature", Field = "temperature", Aggregate = Aggregate.Mean },
                new RoomMetric { Name = "hottest", Field = "temperature", Aggregate = Aggregate.Max },
                new RoomMetric { Name = "power", Field = "watts", Aggregate = Aggregate.Sum },
                new RoomMetric { Name = "reporting", Field = "temperature", Aggregate = Aggregate.Count },
            ],
            Retention = new RoomRetention { Raw = raw, Rollups = [.. rollups.Select(r => new Rollup { Every = r.Every, Keep = r.Keep })] },
        },
    };

    public static Device Device(string name, string? room, string? heartbeat = null, string type = "thermostat") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = AnalyticsHost.Namespace },
        Spec = new DeviceSpec
        {
            Type = type,
            Room = room,
            Heartbeat = heartbeat is null ? null : new DeviceHeartbeat { Timeout = heartbeat },
            Telemetry =
            [
                new TelemetryField { Name = "temperature", Type = TelemetryType.Number, Unit = "Cel" },
                new TelemetryField { Name = "watts", Type = TelemetryType.Integer, Unit = "W" },
                new TelemetryField { Name = "door", Type = TelemetryType.Boolean },
            ],
        },
    };
}
