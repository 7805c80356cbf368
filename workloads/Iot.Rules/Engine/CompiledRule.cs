using System.Text.Json;

using Iot.Api.Common;
using Iot.Api.EdgeRules;
using Iot.Rules.Actions;
using Iot.Rules.Conditions;
using Iot.Rules.Metrics;

namespace Iot.Rules.Engine;

/// <summary>An EdgeRule ready to run: its selector, compiled conditions and actions. Immutable once built.</summary>
internal sealed class CompiledRule
{
    private static readonly JsonSerializerOptions SpecJson = new(JsonSerializerDefaults.Web);

    private CompiledRule(EdgeRule rule, string @namespace, RuleEngineOptions options)
    {
        var spec = rule.Spec ?? throw new FormatException("the rule has no spec");
        Name = rule.Metadata.Name;
        Namespace = @namespace;
        SpecKey = JsonSerializer.Serialize(spec, SpecJson);
        Selector = new SelectorMatcher(spec.Selector ?? new DeviceSelector());
        Condition = ConditionCheck.Compile(spec.Condition ?? throw new FormatException("spec.condition is required"), "spec.condition", options);
        Clear = spec.Clear is null ? null : ConditionCheck.Compile(spec.Clear, "spec.clear", options);
        Actions = [.. (spec.Actions ?? []).Select((a, i) => ActionStep.Compile(a, $"spec.actions[{i}]"))];
        HasAlert = (spec.Actions ?? []).Any(a => a.Alert is not null);
        CooldownTicks = spec.Cooldown is null ? 0
            : Duration.TryParse(spec.Cooldown, out var cooldown) ? cooldown.Ticks
            : throw new FormatException($"spec.cooldown: {Duration.Describe(spec.Cooldown)}");
        DryRun = spec.Mode == RuleMode.DryRun;
    }

    public string Name { get; }

    public string Namespace { get; }

    /// <summary>The spec as JSON: a rule whose spec is unchanged keeps its compiled form and all its state.</summary>
    public string SpecKey { get; }

    public SelectorMatcher Selector { get; }

    public ConditionCheck Condition { get; }

    public ConditionCheck? Clear { get; }

    public ActionStep[] Actions { get; }

    public bool HasAlert { get; }

    public long CooldownTicks { get; }

    public bool DryRun { get; }

    /// <summary>The rule's counts in this engine; set when the engine adopts the rule.</summary>
    public RuleCounters Counters { get; set; } = null!;

    /// <summary>Compiles <paramref name="rule"/>; a <see cref="FormatException"/> says what keeps it from running.</summary>
    public static CompiledRule Compile(EdgeRule rule, RuleEngineOptions options)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (string.IsNullOrEmpty(rule.Metadata?.Name))
        {
            throw new ArgumentException("An EdgeRule needs metadata.name.", nameof(rule));
        }

        return new CompiledRule(rule, rule.Metadata.NamespaceProperty ?? options.Namespace, options);
    }

    /// <summary>Why the rule cannot run on <paramref name="device"/>, or null.</summary>
    public string? ProblemWith(DeviceInfo device) => Condition.ProblemWith(device) ?? Clear?.ProblemWith(device);
}
