using Iot.Api.Devices;

namespace Iot.Api.EdgeRules;

/// <summary>Selects Devices in the rule's namespace. Every criterion given must match; an empty selector matches every device.</summary>
public sealed class DeviceSelector
{
    /// <summary>Labels the Device must carry, exactly.</summary>
    public Dictionary<string, string>? MatchLabels { get; set; }

    /// <summary>Set-based label requirements, as in a Kubernetes label selector.</summary>
    public List<LabelSelectorRequirement>? MatchExpressions { get; set; }

    /// <summary>Device types (Device.spec.type) to include.</summary>
    public List<string>? Types { get; set; }

    /// <summary>Rooms (Device.spec.room) to include.</summary>
    public List<string>? Rooms { get; set; }

    /// <summary>Whether <paramref name="device"/> (in the rule's namespace) is selected.</summary>
    public bool Matches(Device device)
    {
        var labels = device.Metadata.Labels ?? new Dictionary<string, string>();
        return (MatchLabels ?? []).All(l => labels.TryGetValue(l.Key, out var v) && v == l.Value)
            && (MatchExpressions ?? []).All(e => e.Matches(labels))
            && (Types is null or [] || Types.Contains(device.Spec.Type))
            && (Rooms is null or [] || (device.Spec.Room is { } room && Rooms.Contains(room)));
    }
}
