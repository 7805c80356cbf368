using Iot.Api.Common;

using Microsoft.Extensions.Options;

namespace Iot.Ingest.Hosting;

/// <summary>Checks <see cref="IngestOptions"/> at start; each failure names its configuration key.</summary>
internal sealed class IngestOptionsValidation : IValidateOptions<IngestOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.Namespace) || !System.Text.RegularExpressions.Regex.IsMatch(options.Namespace, Names.DnsLabelPattern))
        {
            failures.Add($"Ingest:Namespace must be a Kubernetes namespace name, not '{options.Namespace}'.");
        }

        if (string.IsNullOrEmpty(options.Mqtt.Host))
        {
            failures.Add("Ingest:Mqtt:Host must name the broker.");
        }

        if (options.Mqtt.Port is < 1 or > 65535)
        {
            failures.Add($"Ingest:Mqtt:Port must be 1 to 65535, not {options.Mqtt.Port}.");
        }

        if (string.IsNullOrEmpty(options.Mqtt.ClientId))
        {
            failures.Add("Ingest:Mqtt:ClientId must not be empty.");
        }

        if (string.IsNullOrEmpty(options.Mqtt.ShareGroup) || options.Mqtt.ShareGroup.AsSpan().IndexOfAny("/+#") >= 0)
        {
            failures.Add($"Ingest:Mqtt:ShareGroup must be a name without '/', '+' or '#', not '{options.Mqtt.ShareGroup}'.");
        }

        Positive(options.Mqtt.SessionExpiry, "Ingest:Mqtt:SessionExpiry", failures);
        Positive(options.Mqtt.KeepAlive, "Ingest:Mqtt:KeepAlive", failures);
        Positive(options.Mqtt.ReconnectDelay, "Ingest:Mqtt:ReconnectDelay", failures);
        AtLeastOne(options.IntakeCapacity, "Ingest:IntakeCapacity", failures);
        AtLeastOne(options.BatchSize, "Ingest:BatchSize", failures);
        AtLeastOne(options.RuleQueueCapacity, "Ingest:RuleQueueCapacity", failures);
        AtLeastOne(options.ActionQueueCapacity, "Ingest:ActionQueueCapacity", failures);
        AtLeastOne(options.MaxMessageBytes, "Ingest:MaxMessageBytes", failures);
        AtLeastOne(options.MaxRequestBytes, "Ingest:MaxRequestBytes", failures);
        Positive(options.RuleTickInterval, "Ingest:RuleTickInterval", failures);
        Positive(options.RejectionPublishInterval, "Ingest:RejectionPublishInterval", failures);
        Positive(options.StatusInterval, "Ingest:StatusInterval", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void AtLeastOne(int value, string key, List<string> failures)
    {
        if (value < 1)
        {
            failures.Add($"{key} must be at least 1, not {value}.");
        }
    }

    private static void Positive(TimeSpan value, string key, List<string> failures)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{key} must be a positive duration (like 00:00:10), not {value}.");
        }
    }
}
