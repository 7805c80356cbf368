namespace Iot.Rules.Engine;

/// <summary>A device as the engine holds it: its current info, when it was last heard from and its rules' state.</summary>
internal sealed class DeviceSlot(DeviceInfo info, bool owned, long lastSeen)
{
    public DeviceInfo Info { get; set; } = info;

    /// <summary>
    /// Whether this engine evaluates the device's rules. Other devices are known only as command targets
    /// (see <see cref="RuleEngineOptions.OwnsDevice"/>).
    /// </summary>
    public bool Owned { get; } = owned;

    /// <summary>
    /// Processing time (UTC ticks) of the device's last message, or of when the engine learnt of the device, so that
    /// absence is never reported before a full timeout has passed since the engine started.
    /// </summary>
    public long LastSeen { get; set; } = lastSeen;

    /// <summary>The rules that select the device, with their state for it: the index a message goes through.</summary>
    public RuleBinding[] Bindings { get; set; } = [];
}
