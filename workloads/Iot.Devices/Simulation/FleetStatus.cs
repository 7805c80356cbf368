namespace Iot.Devices.Simulation;

/// <summary>A snapshot of a simulated fleet.</summary>
/// <param name="Devices">Devices in the fleet.</param>
/// <param name="Connected">Devices connected now.</param>
/// <param name="Published">Messages the broker acknowledged.</param>
/// <param name="Buffered">Messages waiting in offline buffers.</param>
/// <param name="Dropped">Messages dropped from full offline buffers.</param>
/// <param name="Rejected">Messages the broker refused.</param>
public sealed record FleetStatus(int Devices, int Connected, long Published, long Buffered, long Dropped, long Rejected)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"connected {Connected}/{Devices}  published {Published}  buffered {Buffered}  dropped {Dropped}  rejected {Rejected}";
}
