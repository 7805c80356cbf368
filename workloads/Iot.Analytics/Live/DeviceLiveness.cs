using Iot.Api.Devices;

using ApiDuration = Iot.Api.Common.Duration;

namespace Iot.Analytics.Live;

/// <summary>
/// Whether a device is online: heard from within its heartbeat timeout (<c>spec.heartbeat.timeout</c>, else the
/// default). Heard from = the later of the last telemetry analytics received and the broker's
/// <c>status.connection.lastSeen</c>.
/// </summary>
public static class DeviceLiveness
{
    /// <summary>The device's heartbeat timeout.</summary>
    public static TimeSpan Timeout(Device device, TimeSpan fallback)
    {
        ArgumentNullException.ThrowIfNull(device);
        return ApiDuration.TryParse(device.Spec.Heartbeat?.Timeout, out var timeout) && timeout > TimeSpan.Zero ? timeout : fallback;
    }

    /// <summary>When the device was last heard from, or null.</summary>
    public static DateTimeOffset? LastSeen(Device device, DeviceReadings? readings)
    {
        ArgumentNullException.ThrowIfNull(device);
        DateTimeOffset? broker = device.Status?.Connection?.LastSeen is { } seen ? new DateTimeOffset(DateTime.SpecifyKind(seen, DateTimeKind.Utc)) : null;
        DateTimeOffset? heard = readings is { } r && r.LastSeen != DateTimeOffset.MinValue ? r.LastSeen : null;
        return (broker, heard) switch
        {
            ({ } b, { } h) => b > h ? b : h,
            _ => broker ?? heard,
        };
    }

    /// <summary>True when <paramref name="lastSeen"/> is within the device's heartbeat timeout of <paramref name="now"/>.</summary>
    public static bool IsOnline(Device device, DateTimeOffset? lastSeen, DateTimeOffset now, TimeSpan fallback) =>
        lastSeen is { } seen && now - seen <= Timeout(device, fallback);
}
