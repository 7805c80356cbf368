namespace Iot.Kube;

/// <summary>The type of a core/v1 Event.</summary>
public static class EventTypes
{
    /// <summary>Nothing is wrong: something happened as expected.</summary>
    public const string Normal = "Normal";

    /// <summary>Something may be wrong.</summary>
    public const string Warning = "Warning";
}
