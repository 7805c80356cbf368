using Iot.Api.Common;
using Iot.Api.Validation;

namespace Iot.Operator.Common;

/// <summary>
/// Condition helpers over the IoT kinds' own <see cref="Condition"/> list, shared by the Room, EdgeRule and AlertRoute
/// controllers: a condition's lastTransitionTime moves only when its status changes.
/// </summary>
internal static class ResourceConditions
{
    /// <summary>The Ready condition's type.</summary>
    public const string Ready = "Ready";

    /// <summary>Adds or updates the condition of <paramref name="type"/>, keeping its lastTransitionTime unless its status changes.</summary>
    public static void Set(List<Condition> conditions, string type, ConditionStatus status, string reason, string? message, long? generation, TimeProvider time)
    {
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            conditions.Add(new Condition { Type = type, Status = status, LastTransitionTime = Now(time) });
            existing = conditions[^1];
        }
        else if (existing.Status != status)
        {
            existing.Status = status;
            existing.LastTransitionTime = Now(time);
        }

        existing.Reason = reason;
        existing.Message = string.IsNullOrEmpty(message) ? null : message;
        existing.ObservedGeneration = generation;
    }

    /// <summary>"path: message; path: message" for a condition message.</summary>
    public static string Describe(IEnumerable<FieldError> errors) => string.Join("; ", errors.Select(e => e.ToString()));

    // Kubernetes serializes times to the second; truncating keeps a written and a re-read condition equal.
    private static DateTime Now(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
