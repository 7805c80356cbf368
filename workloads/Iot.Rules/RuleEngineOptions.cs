namespace Iot.Rules;

/// <summary>Settings of a <see cref="RuleEngine"/>.</summary>
public sealed class RuleEngineOptions
{
    /// <summary>The namespace the rules and devices live in, for alerts of rules whose metadata.namespace is unset.</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>
    /// How long past a window's end (on the device's clock) the engine waits for stragglers before it closes the window
    /// of a device that has gone silent. A message at or after the end closes it at once.
    /// </summary>
    public TimeSpan WindowGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many earlier values an anomaly rule needs in a device's window before it judges the device (warm-up).</summary>
    public int AnomalyMinimumSamples { get; set; } = 10;

    /// <summary>
    /// Which devices this engine evaluates, when ingest runs several engines (partitions) or replicas: each device's
    /// rules must run in exactly the engine its telemetry goes to, or absence rules report it from every engine.
    /// Every engine should still be given every Device, since command actions check their target. Null: all devices.
    /// </summary>
    public Func<string, bool>? OwnsDevice { get; set; }
}
