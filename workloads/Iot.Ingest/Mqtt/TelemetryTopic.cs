namespace Iot.Ingest.Mqtt;

/// <summary>The telemetry topics, <c>devices/&lt;id&gt;/telemetry</c>, and the shared subscription to them.</summary>
internal static class TelemetryTopic
{
    private const string Prefix = "devices/";
    private const string Suffix = "/telemetry";

    /// <summary>The subscription of a share group: <c>$share/&lt;group&gt;/devices/+/telemetry</c>.</summary>
    public static string SharedFilter(string group) => $"$share/{group}/{Prefix}+{Suffix}";

    /// <summary>The device id of a telemetry topic; false for any other topic.</summary>
    public static bool TryGetDevice(string topic, out string device)
    {
        device = "";
        if (topic.Length <= Prefix.Length + Suffix.Length || !topic.StartsWith(Prefix, StringComparison.Ordinal) || !topic.EndsWith(Suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var id = topic.AsSpan(Prefix.Length, topic.Length - Prefix.Length - Suffix.Length);
        if (id.Contains('/'))
        {
            return false;
        }

        device = id.ToString();
        return true;
    }
}
