using Iot.Api.Expressions;
using Iot.Api.Validation;

namespace Iot.Api.EdgeRules;

/// <summary>EdgeRule checks beyond the schema (those that need no other objects; see ResourceSetValidator for those).</summary>
internal static class EdgeRuleValidation
{
    public static void Validate(EdgeRuleSpec spec, List<FieldError> errors)
    {
        ValidateCondition(spec.Condition, "spec.condition", errors);
        if (spec.Clear is not null)
        {
            ValidateCondition(spec.Clear, "spec.clear", errors);
            if (spec.Clear.KindName is { } clearKind && spec.Condition.KindName is { } kind && clearKind != kind && clearKind != "expression")
            {
                errors.Add(new FieldError("spec.clear", $"a clear condition must be of the same kind as the condition ({kind}) or an expression, not {clearKind}"));
            }
        }

        ResourceValidator.CheckDuration(spec.Cooldown, "spec.cooldown", errors, TimeSpan.FromSeconds(1));

        for (var i = 0; i < spec.Actions.Count; i++)
        {
            if (spec.Actions[i].Publish is { } publish)
            {
                CheckTopic(publish.Topic, $"spec.actions[{i}].publish.topic", errors);
            }
        }
    }

    /// <summary>Adds an error unless <paramref name="topic"/> is a topic a rule or receiver may publish to.</summary>
    internal static void CheckTopic(string topic, string path, List<FieldError> errors)
    {
        if (topic.Length == 0 || topic.Contains('+') || topic.Contains('#') || topic.Contains('\0'))
        {
            errors.Add(new FieldError(path, $"\"{topic}\" is not a publish topic: it must be non-empty and have no wildcards (+, #)"));
        }
        else if (topic.StartsWith("_iot/", StringComparison.Ordinal) || topic.StartsWith("devices/", StringComparison.Ordinal) || topic.StartsWith('$'))
        {
            errors.Add(new FieldError(path, $"\"{topic}\" is reserved: _iot/, devices/ and $ topics belong to the platform and the devices", FieldErrorKind.Forbidden));
        }
    }

    private static void ValidateCondition(RuleCondition condition, string path, List<FieldError> errors)
    {
        if (condition.Threshold is { } threshold)
        {
            ResourceValidator.CheckDuration(threshold.For, path + ".threshold.for", errors);
        }

        if (condition.Window is { } window)
        {
            var size = ResourceValidator.CheckDuration(window.Size, path + ".window.size", errors, TimeSpan.FromSeconds(1));
            var advance = ResourceValidator.CheckDuration(window.Advance, path + ".window.advance", errors, TimeSpan.FromSeconds(1));
            if (size is not null && advance is not null && advance > size)
            {
                errors.Add(new FieldError(path + ".window.advance", $"advance ({window.Advance}) must not exceed size ({window.Size}); omit it for tumbling windows"));
            }
        }

        if (condition.Absence is { } absence)
        {
            ResourceValidator.CheckDuration(absence.For, path + ".absence.for", errors, TimeSpan.FromSeconds(1));
        }

        if (condition.RateOfChange is { } rate)
        {
            ResourceValidator.CheckDuration(rate.Per, path + ".rateOfChange.per", errors, TimeSpan.FromSeconds(1));
        }

        if (condition.Anomaly is { } anomaly)
        {
            ResourceValidator.CheckDuration(anomaly.Window, path + ".anomaly.window", errors, TimeSpan.FromMinutes(1));
        }

        if (condition.Expression is { } expression)
        {
            foreach (var error in RuleExpression.Parse(expression).Errors)
            {
                errors.Add(new FieldError(path + ".expression", error.ToString()));
            }
        }
    }
}
