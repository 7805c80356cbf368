using Iot.Api.EdgeRules;
using Iot.Api.Validation;

namespace Iot.Api.AlertRoutes;

/// <summary>AlertRoute checks beyond the schema.</summary>
internal static class AlertRouteValidation
{
    private static readonly string[] Weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    public static void Validate(AlertRouteSpec spec, List<FieldError> errors)
    {
        CheckMatchers(spec.Matchers, "spec.matchers", errors);
        CheckLabelNames(spec.GroupBy, "spec.groupBy", errors, allowEllipsis: true);
        ResourceValidator.CheckDuration(spec.GroupWait, "spec.groupWait", errors, TimeSpan.Zero);
        var groupInterval = ResourceValidator.CheckDuration(spec.GroupInterval, "spec.groupInterval", errors, TimeSpan.FromSeconds(1));
        var repeatInterval = ResourceValidator.CheckDuration(spec.RepeatInterval, "spec.repeatInterval", errors, TimeSpan.FromSeconds(1));
        if (groupInterval is not null && repeatInterval is not null && repeatInterval < groupInterval)
        {
            errors.Add(new FieldError("spec.repeatInterval", $"repeatInterval ({spec.RepeatInterval}) must be at least groupInterval ({spec.GroupInterval})"));
        }

        ResourceValidator.CheckUnique(spec.Receivers.Select(r => r.Name), i => $"spec.receivers[{i}].name", "receiver name", errors);
        for (var i = 0; i < spec.Receivers.Count; i++)
        {
            var receiver = spec.Receivers[i];
            var path = $"spec.receivers[{i}]";
            ResourceValidator.CheckDuration(receiver.Webhook?.Timeout, path + ".webhook.timeout", errors, TimeSpan.FromMilliseconds(100));
            if (receiver.Webhook is { } webhook && !Uri.TryCreate(webhook.Url, UriKind.Absolute, out _))
            {
                errors.Add(new FieldError(path + ".webhook.url", $"\"{webhook.Url}\" is not an absolute URL"));
            }

            if (receiver.Mqtt is { } mqtt)
            {
                EdgeRuleValidation.CheckTopic(mqtt.Topic, path + ".mqtt.topic", errors);
            }

            if (receiver.Email is { } email)
            {
                foreach (var (address, j) in email.To.Select((a, j) => (a, j)).Append((email.From, -1)))
                {
                    if (!System.Net.Mail.MailAddress.TryCreate(address, out _))
                    {
                        errors.Add(new FieldError(path + (j < 0 ? ".email.from" : $".email.to[{j}]"), $"\"{address}\" is not an email address"));
                    }
                }
            }
        }

        var inhibit = spec.Inhibit ?? [];
        for (var i = 0; i < inhibit.Count; i++)
        {
            CheckMatchers(inhibit[i].SourceMatchers, $"spec.inhibit[{i}].sourceMatchers", errors);
            CheckMatchers(inhibit[i].TargetMatchers, $"spec.inhibit[{i}].targetMatchers", errors);
            CheckLabelNames(inhibit[i].Equal, $"spec.inhibit[{i}].equal", errors, allowEllipsis: false);
        }

        var mutes = spec.MuteTimeIntervals ?? [];
        for (var i = 0; i < mutes.Count; i++)
        {
            var weekdays = mutes[i].Weekdays ?? [];
            for (var j = 0; j < weekdays.Count; j++)
            {
                var parts = weekdays[j].Split(':');
                if (parts.Length > 2 || parts.Any(p => !Weekdays.Contains(p)))
                {
                    errors.Add(new FieldError($"spec.muteTimeIntervals[{i}].weekdays[{j}]",
                        $"\"{weekdays[j]}\" is not a weekday or range (e.g. saturday, monday:friday); days: {string.Join(", ", Weekdays)}"));
                }
            }

            var times = mutes[i].Times ?? [];
            for (var j = 0; j < times.Count; j++)
            {
                if (times[j].Start == times[j].End)
                {
                    errors.Add(new FieldError($"spec.muteTimeIntervals[{i}].times[{j}]", $"start and end are both {times[j].Start}: the range is empty"));
                }
            }

            if (mutes[i].Location is { } location && !TimeZoneInfo.TryFindSystemTimeZoneById(location, out _))
            {
                errors.Add(new FieldError($"spec.muteTimeIntervals[{i}].location", $"\"{location}\" is not a known IANA time zone (e.g. UTC, Europe/Berlin)"));
            }
        }
    }

    private static void CheckMatchers(List<string>? matchers, string path, List<FieldError> errors)
    {
        for (var i = 0; i < (matchers?.Count ?? 0); i++)
        {
            if (!Matcher.TryParse(matchers![i], out _, out var error))
            {
                errors.Add(new FieldError($"{path}[{i}]", $"invalid matcher '{matchers[i]}': {error}"));
            }
        }
    }

    private static void CheckLabelNames(List<string>? names, string path, List<FieldError> errors, bool allowEllipsis)
    {
        for (var i = 0; i < (names?.Count ?? 0); i++)
        {
            var name = names![i];
            if (!(allowEllipsis && name == "...") && !System.Text.RegularExpressions.Regex.IsMatch(name, "^[a-zA-Z_][a-zA-Z0-9_]*$"))
            {
                errors.Add(new FieldError($"{path}[{i}]", $"\"{name}\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*){(allowEllipsis ? " or ..." : "")}"));
            }
        }
    }
}
