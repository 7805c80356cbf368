using Iot.Broker.Auth;

namespace Iot.Broker.Acl;

/// <summary>
/// Who may use which topic (DESIGN.md §5). A device publishes only to <c>devices/&lt;id&gt;/telemetry</c> and
/// <c>devices/&lt;id&gt;/state</c> and subscribes only to <c>devices/&lt;id&gt;/command</c>; <c>_iot/#</c> is for
/// workloads only; workloads may use any topic.
/// </summary>
public static class TopicAcl
{
    /// <summary>The prefix of the internal bus.</summary>
    public const string InternalPrefix = "_iot/";

    /// <summary>Whether <paramref name="client"/> may publish to <paramref name="topic"/>.</summary>
    public static bool CanPublish(ClientIdentity client, string topic)
    {
        if (client.DeviceId is not { } id)
        {
            return true;
        }

        return IsDeviceTopic(topic, id, "telemetry") || IsDeviceTopic(topic, id, "state");
    }

    /// <summary>Whether <paramref name="client"/> may subscribe to <paramref name="filter"/> (a plain filter, not <c>$share/…</c>).</summary>
    public static bool CanSubscribe(ClientIdentity client, string filter)
    {
        if (client.DeviceId is not { } id)
        {
            return true;
        }

        // Exactly its own command topic: no wildcards, so a device can never see another device's commands.
        return IsDeviceTopic(filter, id, "command");
    }

    private static bool IsDeviceTopic(string topic, string id, string leaf) =>
        topic.Length == "devices/".Length + id.Length + 1 + leaf.Length
        && topic.StartsWith("devices/", StringComparison.Ordinal)
        && string.CompareOrdinal(topic, "devices/".Length, id, 0, id.Length) == 0
        && topic["devices/".Length + id.Length] == '/'
        && topic.EndsWith(leaf, StringComparison.Ordinal);
}
