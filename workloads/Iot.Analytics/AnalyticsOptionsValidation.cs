using Microsoft.Extensions.Options;

namespace Iot.Analytics;

/// <summary>Checks <see cref="AnalyticsOptions"/> at start-up, naming each setting that is wrong.</summary>
internal sealed class AnalyticsOptionsValidation : IValidateOptions<AnalyticsOptions>
{
    public ValidateOptionsResult Validate(string? name, AnalyticsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Namespace))
        {
            failures.Add("Analytics:Namespace is required (the namespace whose Devices and Rooms are served; IOT_NAMESPACE in a workload Pod).");
        }

        if (options.ApiToken.Length < 16)
        {
            failures.Add("Analytics:ApiToken must be set to the API bearer token, at least 16 characters (the 'token' key of the iot-api-token Secret).");
        }

        if (options.MaxPoints is < 10 or > 100_000)
        {
            failures.Add($"Analytics:MaxPoints must be between 10 and 100000, not {options.MaxPoints}.");
        }

        if (options.DefaultHeartbeatTimeout <= TimeSpan.Zero)
        {
            failures.Add("Analytics:DefaultHeartbeatTimeout must be positive.");
        }

        if (options.RollupLag < TimeSpan.Zero)
        {
            failures.Add("Analytics:RollupLag must not be negative.");
        }

        if (options.Mqtt.Enabled && (string.IsNullOrWhiteSpace(options.Mqtt.Host) || options.Mqtt.Port is < 1 or > 65535))
        {
            failures.Add("Analytics:Mqtt:Host and Analytics:Mqtt:Port (1-65535) must name the broker (or set Analytics:Mqtt:Enabled=false).");
        }

        if (options.Mqtt.Enabled && string.IsNullOrWhiteSpace(options.Mqtt.ShareGroup))
        {
            failures.Add("Analytics:Mqtt:ShareGroup must not be empty.");
        }

        if (options.Alerts.Source is not ("mqtt" or "events" or "none"))
        {
            failures.Add($"Analytics:Alerts:Source must be mqtt, events or none, not '{options.Alerts.Source}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
