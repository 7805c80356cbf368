using Iot.Api.Common;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Rules.Engine;

namespace Iot.Rules.Conditions;

/// <summary>
/// A compiled rule condition, shared by every device the rule selects; <see cref="CreateMonitor"/> makes the
/// per-device state.
/// </summary>
internal abstract class ConditionCheck
{
    /// <summary>The telemetry field the condition reads, for <c>{field}</c>; null for absence and expressions.</summary>
    public abstract string? Field { get; }

    public abstract ConditionMonitor CreateMonitor(RuleBinding binding, bool isClear);

    /// <summary>Why the condition cannot be evaluated on <paramref name="device"/>'s telemetry, or null when it can.</summary>
    public virtual string? ProblemWith(DeviceInfo device) => null;

    /// <summary>Compiles <paramref name="condition"/>; a <see cref="FormatException"/> says what is wrong.</summary>
    public static ConditionCheck Compile(RuleCondition condition, string path, RuleEngineOptions options)
    {
        var kinds = new object?[] { condition.Threshold, condition.Window, condition.Absence, condition.RateOfChange, condition.Anomaly, condition.Expression }.Count(k => k is not null);
        if (kinds != 1)
        {
            throw new FormatException($"{path} must set exactly one of threshold, window, absence, rateOfChange, anomaly or expression, not {kinds}");
        }

        return condition switch
        {
            { Threshold: { } t } => new ThresholdCheck(t.Field, t.Operator, t.Value, t.For is null ? 0 : Ticks(t.For, path + ".threshold.for")),
            { Window: { } w } => WindowCheck.Create(w, Ticks(w.Size, path + ".window.size"), w.Advance is null ? null : Ticks(w.Advance, path + ".window.advance"), options.WindowGrace.Ticks),
            { Absence: { } a } => new AbsenceCheck(Ticks(a.For, path + ".absence.for")),
            { RateOfChange: { } r } => new RateOfChangeCheck(r.Field, Ticks(r.Per, path + ".rateOfChange.per"), r.Operator, r.Value),
            { Anomaly: { } a } => new AnomalyCheck(a.Field, Ticks(a.Window, path + ".anomaly.window"), a.ZScore ?? 3.0, options.AnomalyMinimumSamples),
            _ => ExpressionCheck.Compile(condition.Expression!, path + ".expression"),
        };
    }

    private static long Ticks(string text, string path) =>
        Duration.TryParse(text, out var value) && value > TimeSpan.Zero
            ? value.Ticks
            : throw new FormatException($"{path}: {Duration.Describe(text)}");

    /// <summary>The operator's wording for a field a device's schema lacks or types wrongly; null when the device has no schema.</summary>
    protected static string? FieldProblem(DeviceInfo device, string field, bool numeric)
    {
        if (device.Telemetry is not { } schema)
        {
            return null;
        }

        if (!schema.TryGetValue(field, out var type))
        {
            return $"field \"{field}\" is not in the telemetry of {device.Id} (type {device.Type})";
        }

        return numeric && type is not (TelemetryType.Number or TelemetryType.Integer)
            ? $"field \"{field}\" must be a number or integer but is {type.ToString().ToLowerInvariant()} in the telemetry of {device.Id} (type {device.Type})"
            : null;
    }
}
