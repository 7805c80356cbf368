using Iot.Api.Devices;

namespace Iot.Broker.Registry;

/// <summary>What the broker needs to know about one Device to let it connect.</summary>
/// <param name="Id">The device id (metadata.name): username, client id and topic segment.</param>
/// <param name="Mode">How it authenticates.</param>
/// <param name="PasswordHash">The salted hash of its password (password mode), or null while none is issued.</param>
/// <param name="Disabled">True when the Device is disabled (spec.disabled, or its credentials Secret is marked disabled).</param>
public sealed record DeviceRecord(string Id, DeviceAuthMode Mode, string? PasswordHash, bool Disabled)
{
    /// <inheritdoc />
    public override string ToString() => $"DeviceRecord {{ Id = {Id}, Mode = {Mode}, Disabled = {Disabled} }}";
}
