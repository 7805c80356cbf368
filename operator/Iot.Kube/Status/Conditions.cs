using k8s.Models;

namespace Iot.Kube;

/// <summary>
/// Helpers for a status's conditions in the metav1.Condition shape, over <see cref="V1Condition"/> lists so this
/// project need not depend on Iot.Api. Kinds with their own condition class map it to and from
/// <see cref="V1Condition"/> (the fields are the same: type, status, observedGeneration, lastTransitionTime, reason,
/// message), or keep their conditions as <c>IList&lt;V1Condition&gt;</c>.
/// </summary>
public static class Conditions
{
    /// <summary>The status value True.</summary>
    public const string True = "True";

    /// <summary>The status value False.</summary>
    public const string False = "False";

    /// <summary>The status value Unknown.</summary>
    public const string Unknown = "Unknown";

    /// <summary>The condition of <paramref name="type"/>, or null.</summary>
    public static V1Condition? Get(IEnumerable<V1Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));

    /// <summary>Whether the condition of <paramref name="type"/> is present with status True.</summary>
    public static bool IsTrue(IEnumerable<V1Condition>? conditions, string type) => Get(conditions, type)?.Status == True;

    /// <summary>Whether the condition of <paramref name="type"/> is present with status False.</summary>
    public static bool IsFalse(IEnumerable<V1Condition>? conditions, string type) => Get(conditions, type)?.Status == False;

    /// <summary>
    /// Adds or updates the condition of <paramref name="type"/>. Its lastTransitionTime is set (from
    /// <paramref name="time"/>, or the system clock) when the condition is added or its status changes, and kept when
    /// only the reason, message or observed generation change.
    /// </summary>
    /// <returns>Whether anything changed.</returns>
    public static bool Set(
        IList<V1Condition> conditions,
        string type,
        string status,
        string reason,
        string? message = null,
        long? observedGeneration = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentException.ThrowIfNullOrEmpty(type);
        ArgumentException.ThrowIfNullOrEmpty(status);
        ArgumentException.ThrowIfNullOrEmpty(reason);
        message ??= string.Empty;
        var existing = Get(conditions, type);
        if (existing is null)
        {
            conditions.Add(new V1Condition
            {
                Type = type,
                Status = status,
                Reason = reason,
                Message = message,
                ObservedGeneration = observedGeneration,
                LastTransitionTime = Now(time),
            });
            return true;
        }

        var changed = false;
        if (existing.Status != status)
        {
            existing.Status = status;
            existing.LastTransitionTime = Now(time);
            changed = true;
        }

        if (existing.Reason != reason)
        {
            existing.Reason = reason;
            changed = true;
        }

        if (existing.Message != message)
        {
            existing.Message = message;
            changed = true;
        }

        if (existing.ObservedGeneration != observedGeneration)
        {
            existing.ObservedGeneration = observedGeneration;
            changed = true;
        }

        return changed;
    }

    /// <summary><see cref="Set(IList{V1Condition}, string, string, string, string?, long?, TimeProvider?)"/> with status True or False.</summary>
    public static bool Set(
        IList<V1Condition> conditions,
        string type,
        bool status,
        string reason,
        string? message = null,
        long? observedGeneration = null,
        TimeProvider? time = null) =>
        Set(conditions, type, status ? True : False, reason, message, observedGeneration, time);

    /// <summary>Removes the condition of <paramref name="type"/>; returns whether there was one.</summary>
    public static bool Remove(IList<V1Condition> conditions, string type)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        var existing = Get(conditions, type);
        return existing is not null && conditions.Remove(existing);
    }

    // Kubernetes serializes times to the second; truncating keeps a written and a re-read condition equal.
    private static DateTime Now(TimeProvider? time)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
