namespace Iot.Broker.Auth;

/// <summary>Who a connected client is: a Device (its id) or a workload using the internal credentials.</summary>
/// <param name="DeviceId">The device id, or null for a workload.</param>
/// <param name="CredentialHash">The password hash the device connected with (null for certificates and workloads): a different hash later means its credentials were rotated.</param>
public sealed record ClientIdentity(string? DeviceId, string? CredentialHash)
{
    /// <summary>A workload (internal credentials): not bound to one device's topics.</summary>
    public static readonly ClientIdentity Internal = new(null, null);

    /// <summary>True for workloads.</summary>
    public bool IsInternal => DeviceId is null;
}
