namespace Iot.Api.Common;

/// <summary>Status fields every IoT kind has.</summary>
public abstract class ResourceStatus
{
    /// <summary>The metadata.generation this status was computed from.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>Current conditions of the object; <c>Ready</c> is always present once the operator has seen it.</summary>
    public List<Condition>? Conditions { get; set; }
}
