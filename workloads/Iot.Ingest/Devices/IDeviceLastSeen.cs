namespace Iot.Ingest.Devices;

/// <summary>
/// When ingest last heard from each device: the receive time of its latest telemetry message (MQTT or HTTP), accepted
/// or rejected, from a known Device. In memory, per replica; the broker owns <c>Device.status.connection</c>.
/// </summary>
public interface IDeviceLastSeen
{
    /// <summary>When telemetry of <paramref name="device"/> last arrived here, or null when none has since start.</summary>
    DateTimeOffset? LastSeen(string device);

    /// <summary>Every device heard from since start, with when.</summary>
    IReadOnlyDictionary<string, DateTimeOffset> Snapshot();
}
