using Iot.Rules.Engine;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Actions;

/// <summary>A rule changing state for one device: what every action needs to act on it.</summary>
/// <param name="Binding">The rule and device.</param>
/// <param name="Firing">True when the rule fires, false when it resolves.</param>
/// <param name="Value">The value that decided it, when the condition has one.</param>
/// <param name="StartedAt">Processing time (UTC ticks) the rule started firing for the device.</param>
/// <param name="Now">Processing time (UTC ticks) of the transition.</param>
/// <param name="Fields">The triggering message's fields; empty when a timer decided.</param>
internal readonly record struct Transition(RuleBinding Binding, bool Firing, double? Value, long StartedAt, long Now, ReadOnlyMemory<FieldValue> Fields)
{
    public string Rule => Binding.Rule.Name;

    public DeviceInfo Device => Binding.Device.Info;

    public string? Field => Binding.Rule.Condition.Field;

    public string Render(PlaceholderTemplate template) => template.Render(Device.Id, Device.Room, Rule, Field, Value);
}
