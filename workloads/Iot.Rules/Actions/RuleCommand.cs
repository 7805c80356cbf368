using System.Text.Json;

using Iot.Api.Devices;

namespace Iot.Rules.Actions;

/// <summary>A device command a rule sends; the target Device declares <see cref="Name"/> in spec.commands.</summary>
/// <param name="Rule">The EdgeRule that fired.</param>
/// <param name="SourceDevice">The device whose telemetry (or silence) fired it.</param>
/// <param name="TargetDevice">The device the command is for (the source device for <c>device: self</c>).</param>
/// <param name="Name">The command name.</param>
/// <param name="PayloadJson">The action's payload, a JSON object (<c>{}</c> when the action has none).</param>
public sealed record RuleCommand(string Rule, string SourceDevice, string TargetDevice, string Name, string PayloadJson)
{
    /// <summary>The target's command topic, <c>devices/&lt;id&gt;/command</c>.</summary>
    public string Topic => DeviceTopics.For(TargetDevice).Command!;

    /// <summary>The message for <see cref="Topic"/> (DESIGN.md §5): <c>{"name":…,"payload":{…},"id":…,"timestamp":…}</c>.</summary>
    public byte[] ToMessage(string id, DateTimeOffset timestamp)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("name", Name);
            json.WritePropertyName("payload");
            json.WriteRawValue(PayloadJson);
            json.WriteString("id", id);
            json.WriteString("timestamp", timestamp.UtcDateTime);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
