using System.ComponentModel.DataAnnotations;

using Microsoft.Extensions.Options;

namespace Iot.Notify.Hosting;

/// <summary>Checks <see cref="NotifyOptions"/> and its sections, naming each bad setting by its configuration key (<c>Notify:Retry:MaxAttempts</c>).</summary>
public sealed class NotifyOptionsValidation : IValidateOptions<NotifyOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, NotifyOptions options)
    {
        var failures = new List<string>();
        Check(options, NotifyOptions.Section, failures);
        Check(options.Mqtt, $"{NotifyOptions.Section}:Mqtt", failures);
        Check(options.Store, $"{NotifyOptions.Section}:Store", failures);
        Check(options.Retry, $"{NotifyOptions.Section}:Retry", failures);
        if (options.Store.Provider == "postgres" && string.IsNullOrWhiteSpace(options.Store.ConnectionString))
        {
            failures.Add("Notify:Store:ConnectionString is required with Notify:Store:Provider postgres");
        }

        if (options.Retry.InitialBackoff <= TimeSpan.Zero || options.Retry.MaxBackoff < options.Retry.InitialBackoff)
        {
            failures.Add("Notify:Retry: InitialBackoff must be positive and at most MaxBackoff");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Check(object section, string prefix, List<string> failures)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(section, new ValidationContext(section), results, validateAllProperties: true);
        failures.AddRange(results.Select(r => $"{prefix}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
    }
}
