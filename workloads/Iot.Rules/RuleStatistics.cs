using Iot.Rules.Metrics;

namespace Iot.Rules;

/// <summary>The counts of one rule in one engine, as <see cref="RuleEngine.Statistics"/> reports them.</summary>
/// <param name="Rule">The EdgeRule's name.</param>
/// <param name="Evaluations">How often the rule was considered for a device's message or timer.</param>
/// <param name="Firings">Firings that acted (mode enforce).</param>
/// <param name="DryRunFirings">Firings that would have acted (mode dryRun).</param>
/// <param name="SuppressedByCooldown">Firings deferred because the rule had fired for the device within its cooldown.</param>
/// <param name="Errors">Failed evaluations and refused actions by reason; reasons with none are left out.</param>
/// <param name="LastFired">When the rule last fired for any device (for EdgeRule.status.lastFired).</param>
/// <param name="LastProblem">The latest problem that needs a person: a refused command, a device the rule cannot evaluate.</param>
public sealed record RuleStatistics(
    string Rule,
    long Evaluations,
    long Firings,
    long DryRunFirings,
    long SuppressedByCooldown,
    IReadOnlyDictionary<RuleErrorReason, long> Errors,
    DateTimeOffset? LastFired,
    string? LastProblem);
