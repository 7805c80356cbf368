using Iot.Api.Devices;

namespace Iot.Broker.Status;

/// <summary>Where device connection states are written (Device.status.connection in Kubernetes).</summary>
public interface IConnectionStatusSink
{
    /// <summary>Writes <paramref name="connection"/> as the connection state of device <paramref name="deviceId"/>.</summary>
    Task WriteAsync(string deviceId, DeviceConnection connection, CancellationToken cancellationToken);
}
